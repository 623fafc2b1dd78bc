package kz.qatysu.demo.platform;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Every URL the demo platform hands out, laid out like Moodle 4.5's {@code mod/lti} (wwwroot = issuer), so a tool
 * meets the same paths, {@code .php} suffixes and {@code ?type_id=} query strings it meets in production.
 * The {@code type_id} / binding id is the deployment id, as in Moodle where both are the tool type id.
 */
final class PlatformUrls {
    static final String AUTH = "/mod/lti/auth.php";
    static final String TOKEN = "/mod/lti/token.php";
    static final String CERTS = "/mod/lti/certs.php";
    static final String OPENID_CONFIGURATION = "/mod/lti/openid-configuration.php";
    static final String CONTENT_ITEM_RETURN = "/mod/lti/contentitem_return.php";
    static final String RETURN = "/mod/lti/return.php";
    static final String SERVICES = "/mod/lti/services.php";
    static final String DEMO = "/demo";
    static final String DEMO_VIEW = "/demo/view";
    static final String DEMO_LAUNCH = "/demo/launch";

    private final String issuer;
    private final String deploymentId;

    PlatformUrls(String issuer, String deploymentId) {
        this.issuer = issuer;
        this.deploymentId = deploymentId;
    }

    String issuer() {
        return issuer;
    }

    String auth() {
        return issuer + AUTH;
    }

    String token() {
        return issuer + TOKEN;
    }

    String certs() {
        return issuer + CERTS;
    }

    String openidConfiguration() {
        return issuer + OPENID_CONFIGURATION;
    }

    String demo() {
        return issuer + DEMO;
    }

    String lineItems() {
        return issuer + SERVICES + "/" + SampleCourse.CONTEXT_ID + "/lineitems?type_id=" + enc(deploymentId);
    }

    String lineItem(String itemId) {
        return issuer + SERVICES + "/" + SampleCourse.CONTEXT_ID + "/lineitems/" + enc(itemId) + "/lineitem?type_id=" + enc(deploymentId);
    }

    String results(String itemId) {
        return issuer + SERVICES + "/" + SampleCourse.CONTEXT_ID + "/lineitems/" + enc(itemId) + "/lineitem/results?type_id=" + enc(deploymentId);
    }

    String memberships() {
        return issuer + SERVICES + "/CourseSection/" + SampleCourse.CONTEXT_ID + "/bindings/" + enc(deploymentId) + "/memberships";
    }

    String contentItemReturn(String sesskey) {
        return issuer + CONTENT_ITEM_RETURN + "?course=" + SampleCourse.CONTEXT_ID + "&id=" + enc(deploymentId) + "&sesskey=" + enc(sesskey);
    }

    String launchReturn(String resourceLinkId, int launchContainer, String sesskey) {
        return issuer + RETURN + "?course=" + SampleCourse.CONTEXT_ID + "&launch_container=" + launchContainer
                + "&instanceid=" + enc(resourceLinkId) + "&sesskey=" + enc(sesskey);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
