package kz.qatysu.sync.moodle;

import kz.qatysu.connectors.portal.Enrolment;
import kz.qatysu.connectors.portal.Person;

import java.util.Map;
import java.util.Optional;

/**
 * Site-specific Moodle facts the sync needs (ids differ per site; discover them in Moodle and configure them).
 *
 * @param batchSize       records per write call (kept modest: transactional calls roll back whole batches)
 * @param auth            authentication method of created users ({@code oauth2}, {@code saml2}, {@code ldap}, {@code manual})
 * @param nameScript      which script goes into firstname/lastname (the Latin one also fills the phonetic fields)
 * @param roleIds         Moodle role id per enrolment role (student 5, editingteacher 3, teacher 4 on a default site)
 * @param defaultCategory category id for courses whose faculty has none configured
 * @param categories      faculty code → category id
 * @param templateCourseId a course to copy new courses from, when set
 * @param lang            language of created users (a language pack that is installed: kk, ru, en), when set
 */
public record MoodleOptions(int batchSize, int maxInputVars, String auth, Person.Script nameScript,
                            Map<Enrolment.Role, Integer> roleIds, long defaultCategory, Map<String, Long> categories,
                            Optional<Long> templateCourseId, Optional<String> lang) {

    public static MoodleOptions defaults() {
        return new MoodleOptions(50, 1000, "oauth2", Person.Script.KK,
                Map.of(Enrolment.Role.STUDENT, 5, Enrolment.Role.TEACHER, 3, Enrolment.Role.ASSISTANT, 4),
                1, Map.of(), Optional.empty(), Optional.empty());
    }

    public long category(String faculty) {
        return faculty == null ? defaultCategory : categories.getOrDefault(faculty, defaultCategory);
    }
}
