package kz.qatysu.tool.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Valid id_token claims shaped like Moodle 4.5's (captures/moodle-4.5/launch_*.json); tests break one at a time. */
public final class LaunchClaims {
    public static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";

    private LaunchClaims() {
    }

    public static Map<String, Object> moodleStudent(TestPlatform p, String nonce, String targetLinkUri) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("nonce", nonce);
        c.put("iat", now);
        c.put("exp", now + 60);
        c.put("iss", p.issuer);
        c.put("aud", p.clientId);
        c.put(LTI + "deployment_id", p.deploymentId);
        c.put(LTI + "target_link_uri", targetLinkUri);
        c.put("sub", "5");
        c.put(LTI + "lis", Map.of("person_sourcedid", "P-1001", "course_section_sourcedid", "ATT101-2025"));
        c.put(LTI + "roles", List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"));
        c.put(LTI + "context", Map.of("id", "2", "label", "ATT101", "title", "Attendance and Proctoring 101", "type", List.of("CourseSection")));
        c.put(LTI + "resource_link", Map.of("id", "1", "title", "Attendance", "description", ""));
        c.put("given_name", "Әлия");
        c.put("family_name", "Нұрланқызы");
        c.put("name", "Әлия Нұрланқызы");
        c.put("email", "aliya@example.kz");
        c.put(LTI + "launch_presentation", Map.of("locale", "kk", "document_target", "iframe", "return_url", p.issuer + "/mod/lti/return.php?course=2"));
        c.put(LTI + "ext", Map.of("user_username", "student1", "lms", "moodle-2"));
        c.put(LTI + "tool_platform", Map.of("product_family_code", "moodle", "version", "2024100706", "name", "ltiharness"));
        c.put(LTI + "version", "1.3.0");
        c.put(LTI + "message_type", "LtiResourceLinkRequest");
        c.put(LTI + "custom", Map.of("context_memberships_url", p.issuer + "/mod/lti/services.php/CourseSection/2/bindings/1/memberships"));
        c.put("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", Map.of(
                "scope", List.of("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem", "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                "lineitems", p.issuer + "/mod/lti/services.php/2/lineitems?type_id=1"));
        c.put("https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice", Map.of(
                "context_memberships_url", p.issuer + "/mod/lti/services.php/CourseSection/2/bindings/1/memberships",
                "service_versions", List.of("1.0", "2.0")));
        return c;
    }

    public static Map<String, Object> moodleTeacher(TestPlatform p, String nonce, String targetLinkUri) {
        Map<String, Object> c = moodleStudent(p, nonce, targetLinkUri);
        c.put("sub", "3");
        c.put(LTI + "roles", List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"));
        c.put(LTI + "lis", Map.of("person_sourcedid", "T-7", "course_section_sourcedid", "ATT101-2025"));
        c.put("given_name", "Айгүл");
        c.put("family_name", "Серікқызы");
        c.put("name", "Айгүл Серікқызы");
        c.put(LTI + "launch_presentation", Map.of("locale", "ru", "document_target", "iframe"));
        return c;
    }
}
