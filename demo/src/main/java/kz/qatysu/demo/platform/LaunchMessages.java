package kz.qatysu.demo.platform;

import kz.qatysu.demo.platform.CourseLinks.ResourceLink;
import kz.qatysu.demo.platform.SampleCourse.Member;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id_token claim sets, built the way the two LMSs build them (see
 * {@code shared/integration/lti-platform-messages.md} and the Moodle 4.5 captures {@code launch_*.json}):
 * claim names, nesting, value shapes, lifetimes and the order Moodle emits them in.
 */
final class LaunchMessages {
    static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    static final String AP = "https://purl.imsglobal.org/spec/lti-ap/claim/";
    static final String DL = "https://purl.imsglobal.org/spec/lti-dl/claim/";
    static final String AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
    static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    static final String BASIC_OUTCOME = "https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome";

    static final String ROLE_INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    static final String ROLE_LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    static final String ROLE_ADMINISTRATOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator";
    static final String ROLE_SYSTEM_NONE = "http://purl.imsglobal.org/vocab/lis/v2/system/person#None";
    static final String ROLE_INSTITUTION_NONE = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#None";

    static final String SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    static final String SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
    static final String SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
    static final String SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    static final String SCOPE_MEMBERSHIPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

    /** Moodle 4.5's id_token lifetime. */
    static final int MOODLE_LIFETIME_SECONDS = 60;
    /** Open edX's id_token lifetime. */
    static final int OPENEDX_LIFETIME_SECONDS = 3600;

    /** {@code $CFG->version} of Moodle 4.5.6 as it appears in {@code tool_platform.version}. */
    static final String MOODLE_VERSION = "2024100706";
    static final String OPENEDX_PLATFORM_GUID = "3b0ba2c7-5c1e-5f5c-9c8a-2b5d0c6f1e4d";

    private final PlatformUrls urls;
    private final String clientId;
    private final String deploymentId;
    private final Gradebook gradebook;
    private final String platformGuid;

    LaunchMessages(PlatformUrls urls, String clientId, String deploymentId, Gradebook gradebook) {
        this.urls = urls;
        this.clientId = clientId;
        this.deploymentId = deploymentId;
        this.gradebook = gradebook;
        this.platformGuid = md5Hex(urls.issuer());
    }

    /** Moodle 4.5, {@code LtiResourceLinkRequest}, name and email shared, grades and memberships enabled. */
    Map<String, Object> moodleResourceLink(Member user, ResourceLink link, String nonce, long now, String documentTarget,
                                           String sesskey) {
        Map<String, Object> c = moodleHead(user, link.url(), nonce, now);
        c.put(LTI + "message_type", "LtiResourceLinkRequest");
        c.put(LTI + "resource_link", ordered("title", link.title(), "description", link.description(), "id", link.id()));
        c.put(BASIC_OUTCOME, ordered(
                "lis_result_sourcedid", resultSourcedId(link.id(), user.userId()),
                "lis_outcome_service_url", urls.issuer() + "/mod/lti/service.php"));
        moodlePerson(c, user);
        int container = "window".equals(documentTarget) ? 4 : 3;
        c.put(LTI + "launch_presentation", ordered(
                "locale", user.locale(),
                "document_target", documentTarget,
                "return_url", urls.launchReturn(link.id(), container, sesskey)));
        moodleTail(c, user, link);
        return c;
    }

    /** Moodle 4.5, {@code LtiDeepLinkingRequest} from "Select content" in the activity form. */
    Map<String, Object> moodleDeepLinking(Member user, String targetLinkUri, String nonce, long now, String returnUrl,
                                          String dlData) {
        Map<String, Object> c = moodleHead(user, targetLinkUri, nonce, now);
        c.put(LTI + "message_type", "LtiDeepLinkingRequest");
        moodlePerson(c, user);
        c.put(LTI + "launch_presentation", ordered("locale", user.locale()));
        moodleTail(c, user, null);
        Map<String, Object> settings = ordered(
                "accept_types", List.of("ltiResourceLink"),
                "accept_presentation_document_targets", List.of("frame", "iframe", "window"),
                "accept_copy_advice", false,
                "accept_multiple", true,
                "accept_unsigned", false,
                "auto_create", false,
                "can_confirm", false,
                "deep_link_return_url", returnUrl,
                "title", "Qatysu",
                "text", "Сабаққа қатысу белгілеу");
        if (dlData != null) {
            settings.put("data", dlData);
        }
        c.put(DL + "deep_linking_settings", settings);
        return c;
    }

    /** Open edX (xblock-lti-consumer 11.4), {@code LtiResourceLinkRequest}, PII shared, AGS and NRPS on. */
    Map<String, Object> openEdxResourceLink(Member user, ResourceLink link, String nonce, long now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(LTI + "message_type", "LtiResourceLinkRequest");
        c.put(LTI + "version", "1.3.0");
        c.put("iss", urls.issuer());
        c.put("aud", clientId);
        c.put("azp", clientId);
        c.put(LTI + "deployment_id", deploymentId);
        c.put(LTI + "target_link_uri", link.url());
        c.put("sub", user.userId());
        c.put(LTI + "roles", openEdxRoles(user));
        c.put("name", user.name());
        c.put("email", user.email());
        c.put("preferred_username", user.username());
        c.put(LTI + "resource_link", ordered("id", openEdxBlockId(link)));
        c.put(LTI + "context", ordered(
                "id", SampleCourse.OPENEDX_COURSE_KEY,
                "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"),
                "title", SampleCourse.TITLE,
                "label", "KazNU+CS101"));
        c.put(LTI + "launch_presentation", ordered(
                "document_target", "iframe",
                "return_url", urls.demo()));
        c.put(LTI + "tool_platform", ordered("guid", OPENEDX_PLATFORM_GUID, "name", "Qatysu demo Open edX"));
        c.put(LTI + "custom", new LinkedHashMap<>(link.custom()));
        Map<String, Object> ags = ordered(
                "scope", List.of(SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE),
                "lineitems", urls.lineItems());
        gradebook.onlyItemOf(link.id()).ifPresent(item -> ags.put("lineitem", urls.lineItem(item.id())));
        c.put(AGS_ENDPOINT, ags);
        c.put(NRPS, ordered("context_memberships_url", urls.memberships(), "service_versions", List.of("2.0")));
        c.put("nonce", nonce);
        c.put("iat", now);
        c.put("exp", now + OPENEDX_LIFETIME_SECONDS);
        return c;
    }

    /**
     * The envelope of Open edX's LtiStartProctoring / LtiEndAssessment (LtiProctoringConsumer: the resource link claims
     * with launch_presentation and tool_platform, no AGS/NRPS); the caller adds the lti-ap claims.
     */
    Map<String, Object> openEdxProctoring(Member user, String messageType, String blockId, String targetLinkUri, String nonce,
                                          long now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(LTI + "message_type", messageType);
        c.put(LTI + "version", "1.3.0");
        c.put("iss", urls.issuer());
        c.put("aud", clientId);
        c.put("azp", clientId);
        c.put(LTI + "deployment_id", deploymentId);
        c.put(LTI + "target_link_uri", targetLinkUri);
        c.put("sub", user.userId());
        c.put(LTI + "roles", openEdxRoles(user));
        c.put("name", user.name());
        c.put("email", user.email());
        c.put("preferred_username", user.username());
        c.put(LTI + "resource_link", ordered("id", blockId));
        c.put(LTI + "context", ordered(
                "id", SampleCourse.OPENEDX_COURSE_KEY,
                "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"),
                "title", SampleCourse.TITLE,
                "label", "KazNU+CS101"));
        c.put(LTI + "launch_presentation", ordered("document_target", "iframe"));
        c.put(LTI + "tool_platform", ordered("guid", OPENEDX_PLATFORM_GUID, "name", "Qatysu demo Open edX"));
        c.put("nonce", nonce);
        c.put("iat", now);
        c.put("exp", now + OPENEDX_LIFETIME_SECONDS);
        return c;
    }

    static String openEdxBlockId(ResourceLink link) {
        return "block-v1:KazNU+CS101+2026F+type@lti_consumer+block@" + md5Hex("link-" + link.id()).substring(0, 32);
    }

    private Map<String, Object> moodleHead(Member user, String targetLinkUri, String nonce, long now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("nonce", nonce);
        c.put("iat", now);
        c.put("exp", now + MOODLE_LIFETIME_SECONDS);
        c.put("iss", urls.issuer());
        c.put("aud", clientId);
        c.put(LTI + "deployment_id", deploymentId);
        c.put(LTI + "target_link_uri", targetLinkUri);
        c.put("sub", user.userId());
        c.put(LTI + "lis", ordered("person_sourcedid", user.personId(), "course_section_sourcedid", SampleCourse.SECTION_SOURCEDID));
        // Moodle decides Instructor by mod/lti:manage, so a non-editing teacher launches as Instructor too.
        c.put(LTI + "roles", List.of(user.instructorInLaunch() ? ROLE_INSTRUCTOR : ROLE_LEARNER));
        c.put(LTI + "context", ordered(
                "id", SampleCourse.CONTEXT_ID,
                "label", SampleCourse.LABEL,
                "title", SampleCourse.TITLE,
                "type", List.of("CourseSection")));
        return c;
    }

    private static void moodlePerson(Map<String, Object> c, Member user) {
        c.put("given_name", user.givenName());
        c.put("family_name", user.familyName());
        c.put("name", user.name());
        c.put(LTI + "ext", ordered("user_username", user.username(), "lms", "moodle-2"));
        c.put("email", user.email());
    }

    private void moodleTail(Map<String, Object> c, Member user, ResourceLink link) {
        c.put(LTI + "tool_platform", ordered(
                "product_family_code", "moodle",
                "version", MOODLE_VERSION,
                "guid", platformGuid,
                "name", "qatysu-demo",
                "description", "Qatysu demo platform (Moodle 4.5-shaped)"));
        c.put(LTI + "version", "1.3.0");
        Map<String, Object> custom = new LinkedHashMap<>();
        if (link != null) {
            custom.putAll(link.custom());
        }
        custom.put("course_sis", SampleCourse.SECTION_SOURCEDID);
        custom.put("user_username", user.username());
        custom.put("context_memberships_url", urls.memberships());
        if (link != null) {
            // NOTE: Moodle really sends the unresolved "{link_id}" placeholder here.
            custom.put("link_setting_url", urls.issuer() + "/mod/lti/services.php/links/{link_id}/custom");
        }
        c.put(LTI + "custom", custom);
        Map<String, Object> ags = ordered(
                "scope", List.of(SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE),
                "lineitems", urls.lineItems());
        if (link != null) {
            gradebook.onlyItemOf(link.id()).ifPresent(item -> ags.put("lineitem", urls.lineItem(item.id())));
        }
        c.put(AGS_ENDPOINT, ags);
        c.put(NRPS, ordered("context_memberships_url", urls.memberships(), "service_versions", List.of("1.0", "2.0")));
    }

    /** Open edX builds roles from a Python set: always the #None roles, in no fixed order. */
    private static List<String> openEdxRoles(Member user) {
        List<String> roles = new ArrayList<>(List.of(ROLE_SYSTEM_NONE, ROLE_INSTITUTION_NONE));
        switch (user.kind()) {
            case TEACHER -> {
                roles.add(ROLE_ADMINISTRATOR);
                roles.add(ROLE_INSTRUCTOR);
            }
            case ASSISTANT -> roles.add(ROLE_INSTRUCTOR);
            case STUDENT -> roles.add(ROLE_LEARNER);
        }
        Collections.shuffle(roles, ThreadLocalRandom.current());
        return roles;
    }

    private String resultSourcedId(String linkId, String userId) {
        String data = "{\"instanceid\":\"" + linkId + "\",\"userid\":\"" + userId + "\",\"typeid\":\"" + deploymentId
                + "\",\"launchid\":" + ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE) + "}";
        return "{\"data\":" + data + ",\"hash\":\"" + sha256Hex(data + clientId) + "\"}";
    }

    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static String md5Hex(String s) {
        return digestHex("MD5", s);
    }

    static String sha256Hex(String s) {
        return digestHex("SHA-256", s);
    }

    private static String digestHex(String algorithm, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }
}
