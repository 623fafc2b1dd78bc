package kz.qatysu.tool.attendance.evidence;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who a videoconference participant is, in our person ids. Pure: the caller supplies what the tool knows about the
 * section's people ({@link Directory}). In order of trust:
 * <ol>
 *   <li>the participant key <b>is</b> an enrolled person id — BBB's {@code ext_user_id} when our own join URL passed
 *       the person id, Zoom's {@code customer_key} set to it, a CSV {@code person} column;</li>
 *   <li>the key is a <b>platform user id</b> (LTI {@code sub}) of an enrolled person — Moodle's BBB activity passes the
 *       Moodle user id as BBB {@code userID}, and Moodle's LTI {@code sub} is that same user id;</li>
 *   <li>the key is an <b>e-mail</b> a launch sent for an enrolled person (Zoom's {@code user_email});</li>
 *   <li>last resort, the <b>display name</b> equals exactly one enrolled person's known name — flagged
 *       {@link How#NAME} (uncertain), never taken over without the teacher ticking it.</li>
 * </ol>
 * Two or more candidates at a step make the participant {@link Reason#AMBIGUOUS}; nobody is ever silently dropped.
 */
public final class ParticipantMatcher {

    private ParticipantMatcher() {
    }

    public enum How {
        PERSON_ID, PLATFORM_USER, EMAIL, NAME;

        public boolean uncertain() {
            return this == NAME;
        }
    }

    public enum Reason { UNKNOWN, AMBIGUOUS }

    /**
     * What the tool knows about the enrolled (not withdrawn) people of one section.
     *
     * @param enrolled  person ids, students and teachers
     * @param bySubject LTI {@code sub} → person ids (of enrolled people)
     * @param byEmail   lower-cased e-mail → person ids
     * @param byName    {@link #normalName} of the display name → person ids
     */
    public record Directory(Set<String> enrolled, Map<String, Set<String>> bySubject, Map<String, Set<String>> byEmail,
                            Map<String, Set<String>> byName) {
    }

    public sealed interface Result permits Matched, Unmatched {
    }

    public record Matched(String personId, How how) implements Result {
    }

    public record Unmatched(Reason reason) implements Result {
    }

    public static Result match(String key, String displayName, Directory d) {
        String k = key == null ? "" : key.strip();
        if (!k.isEmpty()) {
            if (d.enrolled().contains(k)) {
                return new Matched(k, How.PERSON_ID);
            }
            Result bySubject = one(d.bySubject().get(k), How.PLATFORM_USER);
            if (bySubject != null) {
                return bySubject;
            }
            if (k.contains("@")) {
                Result byEmail = one(d.byEmail().get(k.toLowerCase(Locale.ROOT)), How.EMAIL);
                if (byEmail != null) {
                    return byEmail;
                }
            }
        }
        if (displayName != null && !displayName.isBlank()) {
            Result byName = one(d.byName().get(normalName(displayName)), How.NAME);
            if (byName != null) {
                return byName;
            }
        }
        return new Unmatched(Reason.UNKNOWN);
    }

    private static Result one(Set<String> candidates, How how) {
        if (candidates == null || candidates.isEmpty()) {
            return null;
        }
        return candidates.size() == 1 ? new Matched(candidates.iterator().next(), how) : new Unmatched(Reason.AMBIGUOUS);
    }

    /** Case, accents' composition and runs of spaces do not matter; letters (Kazakh ones included) do. */
    public static String normalName(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
