package kz.qatysu.demo.platform;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import kz.qatysu.demo.platform.CourseLinks.ResourceLink;
import kz.qatysu.demo.platform.PlatformSessions.MessageType;
import kz.qatysu.demo.platform.PlatformSessions.Session;
import kz.qatysu.demo.platform.PlatformSessions.Variant;
import kz.qatysu.demo.platform.SampleCourse.Member;

import java.net.URI;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages a person uses: the course page ({@code /demo}) with one launch button per user and activity, the
 * activity page ({@code /demo/view}, Moodle's {@code view.php}) that logs the browser in as the chosen user and
 * embeds the tool in an iframe, and the launch hop ({@code /demo/launch}, Moodle's {@code launch.php}) that starts
 * the third-party-initiated login: an auto-submitted POST form to the tool's login URL (Moodle) or a GET redirect
 * (Open edX).
 */
final class DemoPages {
    /** The platform's session cookie (Moodle: MoodleSession + the site's cookie suffix). */
    static final String SESSION_COOKIE = "MoodleSessionQatysuDemo";

    /**
     * The platform's session cookie. A tool served over https (behind a TLS proxy) is another site than this http
     * platform (the scheme counts), and the OIDC auth request the tool sends the frame to arrives through a cross-site
     * redirect: the cookie comes along only as {@code SameSite=None; Secure}, which is what Moodle sets on https.
     * Chromium keeps Secure cookies of http://localhost.
     */
    static String sessionCookie(String sessionId, String toolUrl) {
        return SESSION_COOKIE + "=" + sessionId + "; Path=/; HttpOnly; "
                + (toolUrl.startsWith("https:") ? "SameSite=None; Secure" : "SameSite=Lax");
    }

    private final PlatformSessions sessions;
    private final SampleCourse.Roster roster;
    private final CourseLinks links;
    private final Gradebook gradebook;
    private final DeepLinkController deepLinks;
    private final PlatformUrls urls;
    private final String clientId;
    private final String deploymentId;
    private final String toolLoginUrl;
    private final String toolLaunchUrl;
    private final String toolJwksUrl;
    private final SecureRandom random = new SecureRandom();

    DemoPages(PlatformSessions sessions, SampleCourse.Roster roster, CourseLinks links, Gradebook gradebook, DeepLinkController deepLinks, PlatformUrls urls,
              String clientId, String deploymentId, String toolLoginUrl, String toolLaunchUrl, String toolJwksUrl) {
        this.sessions = sessions;
        this.roster = roster;
        this.links = links;
        this.gradebook = gradebook;
        this.deepLinks = deepLinks;
        this.urls = urls;
        this.clientId = clientId;
        this.deploymentId = deploymentId;
        this.toolLoginUrl = toolLoginUrl;
        this.toolLaunchUrl = toolLaunchUrl;
        this.toolJwksUrl = toolJwksUrl;
    }

    void course(Context ctx) {
        StringBuilder b = new StringBuilder();
        b.append("<header><strong>Qatysu demo platform</strong> · Moodle 4.5-shaped LTI 1.3 platform · <span class=\"muted\" style=\"color:#cfe\">")
                .append(Html.esc(urls.issuer())).append("</span></header><main>");
        b.append("<section><h1 id=\"course-title\">").append(Html.esc(SampleCourse.TITLE)).append("</h1><p class=\"muted\">")
                .append(Html.esc(SampleCourse.LABEL)).append(" · section <code>").append(Html.esc(SampleCourse.SECTION_SOURCEDID))
                .append("</code></p></section>");
        for (ResourceLink link : links.all()) {
            b.append("<section><h2>").append(Html.esc(link.title())).append("</h2><p class=\"muted\">")
                    .append(Html.esc(link.description())).append("</p><table><tr><th>user</th><th>role</th><th>idnumber</th><th>language</th><th>Moodle launch</th><th>Open edX-style launch</th></tr>");
            for (Member m : SampleCourse.MEMBERS) { // generated load-test students are not listed
                b.append("<tr><td>").append(Html.esc(m.name())).append("</td><td>").append(roleLabel(m)).append("</td><td><code>")
                        .append(Html.esc(m.personId())).append("</code></td><td>").append(Html.esc(m.locale())).append("</td><td>")
                        .append(button(viewUrl(m, link, Variant.MOODLE, MessageType.RESOURCE_LINK, false),
                                launchLabel(m), "launch-" + link.id() + "-" + m.personId(), ""))
                        .append("</td><td>")
                        .append(button(viewUrl(m, link, Variant.OPENEDX, MessageType.RESOURCE_LINK, false),
                                "Open edX-style launch", "openedx-" + link.id() + "-" + m.personId(), "secondary"))
                        .append("</td></tr>");
            }
            b.append("</table></section>");
        }
        b.append("<section><h2>").append(Html.esc(ProctoredExam.TITLE)).append("</h2><p class=\"muted\">Open edX LTI Proctoring "
                + "Services: LtiStartProctoring, the tool's LtiStartAssessment checked as Open edX checks it, LtiEndAssessment. "
                + "Link <code>").append(Html.esc(ProctoredExam.BLOCK_ID)).append("</code> to a Qatysu exam first (the exam's "
                + "Open edX page lists it after the first start).</p><p>");
        for (Member m : SampleCourse.MEMBERS) {
            if (m.kind() == SampleCourse.Kind.STUDENT) {
                b.append(button(ProctoredExam.PAGE + "?user=" + PlatformUrls.enc(m.userId()), "Proctored exam as " + m.name(),
                        "proctored-" + m.personId(), "secondary")).append(" ");
            }
        }
        b.append("</p></section>");
        Member teacher = roster.teacher();
        b.append("<section><h2>Add an activity with the tool (deep linking)</h2>")
                .append(button(viewUrl(teacher, null, Variant.MOODLE, MessageType.DEEP_LINKING, false), "Deep linking as teacher", "deeplink-teacher", ""))
                .append(" ")
                .append(button(viewUrl(teacher, null, Variant.MOODLE, MessageType.DEEP_LINKING, true), "Deep linking with data (not what Moodle sends)", "deeplink-teacher-data", "secondary"))
                .append("<p class=\"muted\">Like Moodle: ltiResourceLink items only; each accepted item becomes an activity above.</p>");
        for (DeepLinkController.Received r : deepLinks.received()) {
            b.append("<p>Received ").append(r.items().size()).append(" item(s)").append(r.message() == null ? "" : ": " + Html.esc(r.message()))
                    .append("</p>");
        }
        b.append("</section>");
        b.append(gradebookSection());
        b.append("<section><h2>Registration</h2><table>")
                .append(row("issuer", urls.issuer())).append(row("client id", clientId)).append(row("deployment id", deploymentId))
                .append(row("authentication request URL", urls.auth())).append(row("access token URL", urls.token()))
                .append(row("public keyset URL", urls.certs())).append(row("tool login URL", toolLoginUrl))
                .append(row("tool redirect URI / target link URI", toolLaunchUrl)).append(row("tool keyset URL", toolJwksUrl))
                .append("</table></section></main>");
        ctx.html(Html.page("en", SampleCourse.TITLE, b.toString()));
    }

    /** Moodle's {@code mod/lti/view.php}: logs in as the chosen user, embeds the launch in an iframe. */
    void view(Context ctx) {
        Member user = roster.byUserId(ctx.queryParam("user")).orElse(null);
        if (user == null) {
            ctx.status(404).html(Html.page("en", "Unknown user", "<main><section><p>No such user in the demo course.</p></section></main>"));
            return;
        }
        Session session = sessions.login(user.userId());
        ctx.header("Set-Cookie", sessionCookie(session.id(), toolLaunchUrl));
        String launch = PlatformUrls.DEMO_LAUNCH + "?" + launchQuery(ctx);
        String origin = origin(toolLaunchUrl);
        // Moodle's iframe grants these features to the tool's origin only (proctoring needs camera and microphone).
        String allow = "microphone " + origin + "; camera " + origin + "; geolocation " + origin + "; midi " + origin
                + "; encrypted-media " + origin + "; autoplay " + origin;
        String body = "<header><a href=\"" + Html.esc(urls.demo()) + "\">← " + Html.esc(SampleCourse.TITLE) + "</a> · logged in as <strong id=\"platform-user\">"
                + Html.esc(user.name()) + "</strong></header><main><p><a id=\"open-new-window\" class=\"button secondary\" target=\"_blank\" rel=\"opener\" href=\""
                + Html.esc(launch + "&target=window") + "\">Open in new window</a></p>"
                + "<iframe id=\"contentframe\" name=\"contentframe\" title=\"Qatysu\" src=\"" + Html.esc(launch + "&target=iframe")
                + "\" allow=\"" + Html.esc(allow) + "\" allowfullscreen></iframe></main>";
        ctx.html(Html.page(user.locale(), SampleCourse.TITLE, body));
    }

    /** Moodle's {@code mod/lti/launch.php}: stores the launch in the session and starts the login at the tool. */
    void launch(Context ctx) {
        Session session = sessions.session(ctx.cookie(SESSION_COOKIE)).orElse(null);
        if (session == null) {
            ctx.status(401).html(Html.page("en", "Not logged in", "<main><section><p>Choose a user on <a href=\""
                    + Html.esc(urls.demo()) + "\">the demo page</a> first.</p></section></main>"));
            return;
        }
        Variant variant = "openedx".equals(ctx.queryParam("variant")) ? Variant.OPENEDX : Variant.MOODLE;
        MessageType type = "deeplink".equals(ctx.queryParam("message")) ? MessageType.DEEP_LINKING : MessageType.RESOURCE_LINK;
        String target = "window".equals(ctx.queryParam("target")) ? "window" : "iframe";
        ResourceLink link = null;
        if (type == MessageType.RESOURCE_LINK) {
            link = links.find(ctx.queryParam("link")).orElse(null);
            if (link == null) {
                ctx.status(404).html(Html.page("en", "Unknown activity", "<main><section><p>No such activity.</p></section></main>"));
                return;
            }
        }
        if (variant == Variant.OPENEDX && link != null) {
            String hint = LaunchMessages.md5Hex(session.userId() + ":" + LaunchMessages.openEdxBlockId(link));
            sessions.startLaunch(hint, session, variant, type, link.id(), target, null);
            String location = toolLoginUrl + (toolLoginUrl.contains("?") ? "&" : "?")
                    + "iss=" + PlatformUrls.enc(urls.issuer()) + "&client_id=" + PlatformUrls.enc(clientId)
                    + "&lti_deployment_id=" + PlatformUrls.enc(deploymentId) + "&target_link_uri=" + PlatformUrls.enc(link.url())
                    + "&login_hint=" + PlatformUrls.enc(session.userId()) + "&lti_message_hint=" + PlatformUrls.enc(hint);
            ctx.redirect(location, HttpStatus.FOUND);
            return;
        }
        int n = random.nextInt(1, Integer.MAX_VALUE);
        String launchId = type == MessageType.DEEP_LINKING ? "ltilaunch_ContentItemSelectionRequest" + n : "ltilaunch" + link.id() + "_" + n;
        String dlData = type == MessageType.DEEP_LINKING && "1".equals(ctx.queryParam("data")) ? "dl-" + sessions.randomHex(6) : null;
        sessions.startLaunch(launchId, session, Variant.MOODLE, type, link == null ? null : link.id(), target, dlData);
        String messageHint = link == null
                ? "{\"launchid\":\"" + launchId + "\"}"
                : "{\"cmid\":" + link.cmid() + ",\"launchid\":\"" + launchId + "\"}";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("iss", urls.issuer());
        fields.put("target_link_uri", link == null ? toolLaunchUrl : link.url());
        fields.put("login_hint", session.userId());
        fields.put("lti_message_hint", messageHint);
        fields.put("client_id", clientId);
        fields.put("lti_deployment_id", deploymentId);
        ctx.html(Html.autoPostForm(toolLoginUrl, fields, "ltiInitiateLoginForm"));
    }

    /** Moodle's {@code mod/lti/return.php}, where {@code launch_presentation.return_url} leads. */
    void returned(Context ctx) {
        String msg = ctx.queryParam("lti_msg");
        String err = ctx.queryParam("lti_errormsg");
        ctx.html(Html.page("en", "Returned from the tool", "<main><section><h1>Returned from the tool</h1>"
                + (msg == null ? "" : "<p>" + Html.esc(msg) + "</p>") + (err == null ? "" : "<p>" + Html.esc(err) + "</p>")
                + "<p><a href=\"" + Html.esc(urls.demo()) + "\">Back to the course</a></p></section></main>"));
    }

    private String gradebookSection() {
        StringBuilder b = new StringBuilder("<section><h2>Gradebook (what the tool posted through AGS)</h2>");
        List<Gradebook.LineItem> items = gradebook.list(null, null, null);
        if (items.isEmpty()) {
            return b.append("<p class=\"muted\">No grade items.</p></section>").toString();
        }
        b.append("<table><tr><th>grade item</th><th>max</th><th>tag</th><th>activity</th><th>grades</th></tr>");
        for (Gradebook.LineItem item : items) {
            b.append("<tr><td>").append(Html.esc(item.label())).append("</td><td>").append(GradebookController.number(item.scoreMaximum()))
                    .append("</td><td>").append(Html.esc(item.tag())).append("</td><td>").append(Html.esc(item.resourceLinkId() == null ? "" : item.resourceLinkId()))
                    .append("</td><td>");
            for (Gradebook.Grade g : gradebook.results(item.id(), null)) {
                String who = roster.byUserId(g.userId()).map(Member::name).orElse(g.userId());
                b.append(Html.esc(who)).append(": ").append(g.resultScore() == null ? "–" : GradebookController.number(g.resultScore())).append("<br>");
            }
            b.append("</td></tr>");
        }
        return b.append("</table></section>").toString();
    }

    private static String launchQuery(Context ctx) {
        StringBuilder q = new StringBuilder();
        for (String name : List.of("link", "variant", "message", "data")) {
            String v = ctx.queryParam(name);
            if (v != null) {
                q.append(q.isEmpty() ? "" : "&").append(name).append('=').append(PlatformUrls.enc(v));
            }
        }
        return q.toString();
    }

    private static String viewUrl(Member m, ResourceLink link, Variant variant, MessageType type, boolean withData) {
        StringBuilder u = new StringBuilder(PlatformUrls.DEMO_VIEW).append("?user=").append(PlatformUrls.enc(m.userId()));
        if (link != null) {
            u.append("&link=").append(PlatformUrls.enc(link.id()));
        }
        if (variant == Variant.OPENEDX) {
            u.append("&variant=openedx");
        }
        if (type == MessageType.DEEP_LINKING) {
            u.append("&message=deeplink");
        }
        if (withData) {
            u.append("&data=1");
        }
        return u.toString();
    }

    private static String launchLabel(Member m) {
        return switch (m.kind()) {
            case TEACHER -> "Launch as teacher";
            case ASSISTANT -> "Launch as assistant";
            case STUDENT -> "Launch as " + m.name();
        };
    }

    private static String roleLabel(Member m) {
        return switch (m.kind()) {
            case TEACHER -> "teacher";
            case ASSISTANT -> "non-editing teacher";
            case STUDENT -> "student";
        };
    }

    private static String button(String href, String label, String id, String cssClass) {
        return "<a class=\"button " + cssClass + "\" id=\"" + Html.esc(id) + "\" href=\"" + Html.esc(href) + "\">" + Html.esc(label) + "</a>";
    }

    private static String row(String name, String value) {
        return "<tr><th>" + Html.esc(name) + "</th><td><code>" + Html.esc(value) + "</code></td></tr>";
    }

    private static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    }
}
