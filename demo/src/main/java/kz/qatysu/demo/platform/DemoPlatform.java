package kz.qatysu.demo.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small but real LTI 1.3 platform for demos, browser tests and benchmarks, shaped like Moodle 4.5 by default:
 * OIDC authentication endpoint with Moodle's checks, id_tokens signed like Moodle's, the Advantage services
 * (token endpoint, NRPS, AGS) and the deep-linking return, over a sample Kazakh course. Not part of the
 * production tool.
 *
 * <pre>{@code
 * DemoPlatform platform = DemoPlatform.start(new DemoPlatform.Settings(0, "http://localhost:8080", "qatysu-demo", "1"));
 * // POST platform.registrationJson() to the tool's /api/v1/admin/platforms, then open platform.demoPageUrl()
 * platform.stop();
 * }</pre>
 */
public final class DemoPlatform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoPlatform.class);

    /**
     * How to run the platform.
     *
     * @param port         the port to listen on; 0 picks a free one
     * @param toolBaseUrl  the tool's base URL, e.g. {@code http://localhost:8080} (login at {@code /lti/login}, redirect
     *                     URI and target link URI {@code /lti/launch}, keys at {@code /.well-known/jwks.json}); the
     *                     platform uses the same host name, so the two are same-site like a university's LMS and tool
     * @param clientId     the client id the platform gives the tool (Moodle generates a 15-character one)
     * @param deploymentId the deployment id (Moodle: the tool type id, e.g. {@code "1"})
     * @param dataDir      where to keep the platform's signing key across restarts; null = a new key per start
     * @param generatedStudents how many students to add to the sample course beyond the named ones (load tests)
     */
    public record Settings(int port, String toolBaseUrl, String clientId, String deploymentId, Path dataDir, int generatedStudents) {
        public Settings {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            Objects.requireNonNull(toolBaseUrl, "toolBaseUrl");
            URI u = URI.create(toolBaseUrl);
            if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException("toolBaseUrl must be an http(s) URL, was " + toolBaseUrl);
            }
            toolBaseUrl = toolBaseUrl.endsWith("/") ? toolBaseUrl.substring(0, toolBaseUrl.length() - 1) : toolBaseUrl;
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("clientId must not be empty");
            }
            if (deploymentId == null || deploymentId.isBlank()) {
                throw new IllegalArgumentException("deploymentId must not be empty");
            }
            if (generatedStudents < 0 || generatedStudents > 100_000) {
                throw new IllegalArgumentException("generatedStudents must be 0..100000, was " + generatedStudents);
            }
        }

        public Settings(int port, String toolBaseUrl, String clientId, String deploymentId) {
            this(port, toolBaseUrl, clientId, deploymentId, null, 0);
        }

        public Settings(int port, String toolBaseUrl, String clientId, String deploymentId, Path dataDir) {
            this(port, toolBaseUrl, clientId, deploymentId, dataDir, 0);
        }

        /** Settings with a Moodle-style random client id and deployment id {@code "1"}. */
        public static Settings forTool(String toolBaseUrl) {
            return new Settings(0, toolBaseUrl, randomClientId(), "1", null, 0);
        }

        public Settings withPort(int newPort) {
            return new Settings(newPort, toolBaseUrl, clientId, deploymentId, dataDir, generatedStudents);
        }

        public Settings withDataDir(Path dir) {
            return new Settings(port, toolBaseUrl, clientId, deploymentId, dir, generatedStudents);
        }

        public Settings withGeneratedStudents(int n) {
            return new Settings(port, toolBaseUrl, clientId, deploymentId, dataDir, n);
        }
    }

    private final Settings settings;
    private final PlatformKey key;
    private final Javalin app;
    private final String issuer;
    private final PlatformUrls urls;
    private final Gradebook gradebook;
    private final CourseLinks links;
    private final SampleCourse.Roster roster;

    private DemoPlatform(Settings settings, PlatformKey key, Javalin app, String issuer, PlatformUrls urls, Gradebook gradebook,
                         CourseLinks links, SampleCourse.Roster roster) {
        this.settings = settings;
        this.key = key;
        this.app = app;
        this.issuer = issuer;
        this.urls = urls;
        this.gradebook = gradebook;
        this.links = links;
        this.roster = roster;
    }

    /** Starts the platform; it listens on the loopback interface when the tool's host is a loopback name. */
    public static DemoPlatform start(Settings s) {
        PlatformKey key = s.dataDir() == null ? PlatformKey.generate() : PlatformKey.loadOrCreate(s.dataDir().resolve("demo-platform"));
        URI tool = URI.create(s.toolBaseUrl());
        String host = tool.getHost();
        Routes routes = new Routes();
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            routes.register(config.routes);
        });
        app.start(bindAddress(host), s.port());
        String issuer = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + app.port();
        Clock clock = Clock.systemUTC();
        PlatformUrls urls = new PlatformUrls(issuer, s.deploymentId());
        String toolLaunch = s.toolBaseUrl() + "/lti/launch";
        String toolLogin = s.toolBaseUrl() + "/lti/login";
        String toolJwks = s.toolBaseUrl() + "/.well-known/jwks.json";

        SampleCourse.Roster roster = SampleCourse.roster(s.generatedStudents());
        Gradebook gradebook = new Gradebook(roster);
        CourseLinks links = new CourseLinks();
        var attendance = links.add("Сабаққа қатысу · Attendance", "Қатысуды белгілеу, 30 % шегі және емтихан рұқсаты",
                toolLaunch, Map.of("mode", "attendance"));
        // Moodle creates the activity's grade item when the activity accepts grades.
        gradebook.create(attendance.title(), 100, null, null, attendance.id(), false);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        PlatformSessions sessions = new PlatformSessions(clock);
        AccessTokens tokens = new AccessTokens(clock);
        ToolKeySet toolKeys = new ToolKeySet(URI.create(toolJwks), http, clock);
        ServiceGuard guard = new ServiceGuard(tokens);
        LaunchMessages messages = new LaunchMessages(urls, s.clientId(), s.deploymentId(), gradebook);
        DeepLinkController deepLinks = new DeepLinkController(sessions, toolKeys, links, gradebook, urls, s.clientId(), toolLaunch, clock);
        // LTI Proctoring Services as Open edX runs them: a proctored exam of the sample course
        ProctoredExam proctoredExam = new ProctoredExam(sessions, roster, toolKeys, urls, s.clientId(), s.deploymentId(),
                toolLogin, toolLaunch, clock);
        routes.bind(new Controllers(
                new AuthController(sessions, roster, links, messages, key, urls, s.clientId(), s.deploymentId(), List.of(toolLaunch),
                        toolLaunch, clock, proctoredExam),
                new TokenController(s.clientId(), toolKeys, tokens, clock),
                new MembershipsController(guard, roster, urls, s.deploymentId()),
                new GradebookController(guard, gradebook, links, urls, s.deploymentId()),
                deepLinks,
                new DemoPages(sessions, roster, links, gradebook, deepLinks, urls, s.clientId(), s.deploymentId(), toolLogin, toolLaunch, toolJwks),
                key, urls, proctoredExam));
        log.info("demo LTI platform {} up for tool {} (client id {}, deployment {})", issuer, s.toolBaseUrl(), s.clientId(), s.deploymentId());
        return new DemoPlatform(s, key, app, issuer, urls, gradebook, links, roster);
    }

    public String issuer() {
        return issuer;
    }

    public String clientId() {
        return settings.clientId();
    }

    public String deploymentId() {
        return settings.deploymentId();
    }

    public String authLoginUrl() {
        return urls.auth();
    }

    public String authTokenUrl() {
        return urls.token();
    }

    public String keySetUrl() {
        return urls.certs();
    }

    public String demoPageUrl() {
        return urls.demo();
    }

    /**
     * A grade item as the course gradebook stores it, with each user's grade by Moodle user id (null when the score
     * was not FullyGraded) — what the tool's AGS calls came to, as the demo page's gradebook section shows it.
     */
    public record StoredGradeItem(String id, String label, double scoreMaximum, String tag, String resourceLinkId,
                                  boolean createdByTool, Map<String, Double> grades) {
    }

    /** The course gradebook's items in creation order, each with its grades. */
    public List<StoredGradeItem> gradebook() {
        List<StoredGradeItem> out = new java.util.ArrayList<>();
        for (Gradebook.LineItem item : gradebook.list(null, null, null)) {
            Map<String, Double> grades = new LinkedHashMap<>();
            gradebook.results(item.id(), null).forEach(g -> grades.put(g.userId(), g.resultScore()));
            out.add(new StoredGradeItem(item.id(), item.label(), item.scoreMaximum(), item.tag(), item.resourceLinkId(),
                    item.createdByTool(), java.util.Collections.unmodifiableMap(grades)));
        }
        return out;
    }

    /** Everyone enrolled in the sample course: the named members, then any generated students. */
    public List<SampleCourse.Member> members() {
        return roster.members();
    }

    public int port() {
        return app.port();
    }

    /** The body of {@code POST /api/v1/admin/platforms} that registers this platform with the tool. */
    public String registrationJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", issuer);
        body.put("clientId", settings.clientId());
        body.put("name", "Qatysu demo platform (Moodle 4.5-shaped)");
        body.put("authLoginUrl", authLoginUrl());
        body.put("authTokenUrl", authTokenUrl());
        body.put("keySetUrl", keySetUrl());
        body.put("deploymentIds", List.of(settings.deploymentId()));
        try {
            return new ObjectMapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs arbitrary claims with the platform key (tests and benchmarks mint id_tokens with it). */
    public String signIdToken(Map<String, Object> claims, String kid) {
        return key.sign(claims, kid);
    }

    /** The signing key's id, as published in the key set. */
    public String keyId() {
        return key.kid();
    }

    public JWK publicJwk() {
        return key.rsaKey().toPublicJWK();
    }

    /** The private signing key (tests and benchmarks only). */
    public RSAKey signingKey() {
        return key.rsaKey();
    }

    /**
     * A Moodle-shaped {@code LtiResourceLinkRequest} claim set for the sample course's first activity, as the
     * auth endpoint would sign it for {@code personId} (e.g. {@code "P-1001"}); for tests and benchmarks.
     */
    public Map<String, Object> moodleLaunchClaims(String personId, String nonce) {
        var user = roster.byPersonId(personId).orElseThrow(() -> new IllegalArgumentException("no member " + personId));
        var link = links.all().getFirst();
        return new LaunchMessages(urls, settings.clientId(), settings.deploymentId(), gradebook)
                .moodleResourceLink(user, link, nonce, Clock.systemUTC().instant().getEpochSecond(), "iframe", "demo");
    }

    /** Where a student's proctored exam starts (Open edX's LTI Proctoring Services), e.g. for {@code "P-1001"}. */
    public String proctoredExamUrl(String personId) {
        var user = roster.byPersonId(personId).orElseThrow(() -> new IllegalArgumentException("no member " + personId));
        return issuer + ProctoredExam.PAGE + "?user=" + PlatformUrls.enc(user.userId());
    }

    /** The resource_link.id of the proctored exam (the tool links it to one of its exams). */
    public static String proctoredExamBlockId() {
        return ProctoredExam.BLOCK_ID;
    }

    public void stop() {
        app.stop();
        log.info("demo LTI platform {} stopped", issuer);
    }

    @Override
    public void close() {
        stop();
    }

    static String randomClientId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder(15);
        for (int i = 0; i < 15; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String bindAddress(String toolHost) {
        try {
            return InetAddress.getByName(toolHost).isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0";
        } catch (UnknownHostException e) {
            return "0.0.0.0";
        }
    }

    private record Controllers(AuthController auth, TokenController token, MembershipsController memberships,
                               GradebookController gradebook, DeepLinkController deepLinks, DemoPages pages,
                               PlatformKey key, PlatformUrls urls, ProctoredExam proctoredExam) {
    }

    /**
     * The route table. Handlers need the issuer, which contains the port Jetty picked, so the controllers are
     * bound right after the server starts; a request arriving before that gets 503.
     */
    private static final class Routes {
        private volatile Controllers c;

        void bind(Controllers controllers) {
            this.c = controllers;
        }

        void register(io.javalin.config.RoutesConfig r) {
            r.get(PlatformUrls.DEMO, on(ctx -> c.pages().course(ctx)));
            r.get("/", on(ctx -> ctx.redirect(PlatformUrls.DEMO)));
            r.get(PlatformUrls.DEMO_VIEW, on(ctx -> c.pages().view(ctx)));
            r.get(PlatformUrls.DEMO_LAUNCH, on(ctx -> c.pages().launch(ctx)));
            r.get(PlatformUrls.RETURN, on(ctx -> c.pages().returned(ctx)));

            r.get(PlatformUrls.AUTH, on(ctx -> c.auth().authorize(ctx)));
            r.post(PlatformUrls.AUTH, on(ctx -> c.auth().authorize(ctx)));
            r.get(PlatformUrls.CERTS, on(ctx -> ctx.contentType("application/json; charset=utf-8").result(c.key().jwksJson())));
            r.get(PlatformUrls.OPENID_CONFIGURATION, on(ctx -> ctx.json(openIdConfiguration(c.urls()))));
            r.post(PlatformUrls.TOKEN, on(ctx -> c.token().token(ctx)));
            r.get(PlatformUrls.TOKEN, on(ctx -> c.token().token(ctx)));
            r.post(PlatformUrls.CONTENT_ITEM_RETURN, on(ctx -> c.deepLinks().receive(ctx)));
            // LTI Proctoring Services (Open edX's shapes): the proctored exam, start / finish, start_proctoring_assessment
            r.get(ProctoredExam.PAGE, on(ctx -> c.proctoredExam().page(ctx)));
            r.get(ProctoredExam.START, on(ctx -> c.proctoredExam().start(ctx)));
            r.get(ProctoredExam.FINISH, on(ctx -> c.proctoredExam().finish(ctx)));
            r.post(ProctoredExam.START_ASSESSMENT, on(ctx -> c.proctoredExam().startAssessment(ctx)));

            String services = PlatformUrls.SERVICES;
            r.get(services + "/CourseSection/{course}/bindings/{binding}/memberships", on(ctx -> c.memberships().memberships(ctx)));
            r.get(services + "/{course}/lineitems", on(ctx -> c.gradebook().listLineItems(ctx)));
            r.post(services + "/{course}/lineitems", on(ctx -> c.gradebook().createLineItem(ctx)));
            r.get(services + "/{course}/lineitems/{item}/lineitem", on(ctx -> c.gradebook().getLineItem(ctx)));
            r.put(services + "/{course}/lineitems/{item}/lineitem", on(ctx -> c.gradebook().updateLineItem(ctx)));
            r.delete(services + "/{course}/lineitems/{item}/lineitem", on(ctx -> c.gradebook().deleteLineItem(ctx)));
            r.post(services + "/{course}/lineitems/{item}/lineitem/scores", on(ctx -> c.gradebook().postScore(ctx)));
            r.get(services + "/{course}/lineitems/{item}/lineitem/results", on(ctx -> c.gradebook().results(ctx)));
        }

        private Handler on(Handler h) {
            return ctx -> {
                if (c == null) {
                    ctx.status(503).result("starting");
                    return;
                }
                h.handle(ctx);
            };
        }

        private static Map<String, Object> openIdConfiguration(PlatformUrls urls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("issuer", urls.issuer());
            m.put("token_endpoint", urls.token());
            m.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
            m.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256"));
            m.put("jwks_uri", urls.certs());
            m.put("authorization_endpoint", urls.auth());
            m.put("scopes_supported", List.of(LaunchMessages.SCOPE_LINEITEM, LaunchMessages.SCOPE_LINEITEM_READONLY,
                    LaunchMessages.SCOPE_RESULT_READONLY, LaunchMessages.SCOPE_SCORE, LaunchMessages.SCOPE_MEMBERSHIPS, "openid"));
            m.put("response_types_supported", List.of("id_token"));
            m.put("subject_types_supported", List.of("public", "pairwise"));
            m.put("id_token_signing_alg_values_supported", List.of("RS256"));
            m.put("claims_supported", List.of("sub", "iss", "name", "given_name", "family_name", "email"));
            m.put("https://purl.imsglobal.org/spec/lti-platform-configuration", Map.of(
                    "product_family_code", "moodle",
                    "version", "4.5.6 (Build: 20250811)",
                    "messages_supported", List.of(Map.of("type", "LtiResourceLinkRequest"), Map.of("type", "LtiDeepLinkingRequest",
                            "placements", List.of("ContentArea")))));
            return m;
        }
    }
}
