package kz.qatysu.tool.lti.session;

import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.web.Messages;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server-side session a launch creates, keyed to that launch: who (platform user id, name, role), where
 * (platform, deployment, context, resource link), in which language, the institution's identifiers from the
 * {@code lis} claim (portal person id and section code, when Moodle sends them) and, for Open edX, the course key
 * and username. {@code services} keeps the Advantage endpoints of the launch (AGS, NRPS, deep linking settings).
 */
public record ToolSession(String launchKey, long platformId, String deploymentId, String messageType,
                          String subject, String name, String email, ToolRole role, List<String> roles,
                          String contextId, String contextLabel, String contextTitle,
                          String resourceLinkId, String resourceLinkTitle, String locale,
                          String personSourcedId, String courseSectionSourcedId, String username,
                          String openedxCourseKey, Map<String, Object> services, Instant createdAt, Instant expiresAt) {

    public ToolSession {
        roles = List.copyOf(roles);
        services = Map.copyOf(services);
    }

    /** Where this launch's course pages live: {@code /app/<launch key>} (no trailing slash). */
    public String pagesBase() {
        return "/app/" + launchKey;
    }

    public Messages messages() {
        return Messages.of(locale);
    }

    /**
     * The name to greet: the launch's name (or, for a launch without one, the name the portal gave), else a neutral
     * "student" / "teacher" in the user's language — never the platform's opaque user id.
     */
    public String displayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return messages().t(role.teaches() ? "home.greeting.teacher" : role == ToolRole.STUDENT ? "home.greeting.student" : "home.greeting.guest");
    }

    /** The course title to show: context title, else label, else the section code, else the context id. */
    public String courseTitle() {
        for (String s : new String[]{contextTitle, contextLabel, courseSectionSourcedId, contextId}) {
            if (s != null && !s.isBlank()) {
                return s;
            }
        }
        return "";
    }

    /**
     * The portal's section code this course maps to: Moodle's lis.course_section_sourcedid, or the section the launch
     * found for the course (the daemon's link of an Open edX course key, the dean's office's mapping); empty when the
     * course is not (yet) on a portal section.
     */
    public Optional<String> sectionCode() {
        return Optional.ofNullable(courseSectionSourcedId).filter(s -> !s.isBlank());
    }

    /**
     * The portal person id: Moodle's lis.person_sourcedid (user idnumber) or the person whose portal login the
     * username is (set at launch), else the username itself (unified logins).
     */
    public Optional<String> personId() {
        if (personSourcedId != null && !personSourcedId.isBlank()) {
            return Optional.of(personSourcedId);
        }
        return Optional.ofNullable(username).filter(s -> !s.isBlank());
    }

    /** The resource this launch opens: the deep-linked custom parameter {@code qatysu_resource}, when present. */
    public Optional<String> resource() {
        return service("custom").map(c -> c.get("qatysu_resource")).filter(String.class::isInstance).map(String.class::cast);
    }

    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> service(String claim) {
        Object v = services.get(claim);
        return v instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty();
    }
}
