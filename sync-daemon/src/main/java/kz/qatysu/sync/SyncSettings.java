package kz.qatysu.sync;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ProcessSettings;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.portal.CsvPortalSource;
import kz.qatysu.connectors.portal.Entity;
import kz.qatysu.connectors.portal.Enrolment;
import kz.qatysu.connectors.portal.FieldMapping;
import kz.qatysu.connectors.portal.GradeEntry;
import kz.qatysu.connectors.portal.JdbcPortalSource;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.RestEndpoint;
import kz.qatysu.sync.accounts.AccountsJob;
import kz.qatysu.sync.attendance.AttendanceJob;
import kz.qatysu.sync.engine.SafetyLimits;
import kz.qatysu.sync.grades.GradeDirection;
import kz.qatysu.sync.grades.GradesJob;
import kz.qatysu.sync.moodle.MoodleOptions;
import kz.qatysu.sync.sections.SectionsJob;
import kz.qatysu.sync.timetable.TimetableJob;
import org.quartz.CronExpression;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@code sync.*} setting, bound and validated in one pass (see {@code docs/SYNC.md} and
 * {@code config/sync-example.yaml}). {@link #read} never throws: each bad value is a problem naming its key, and the
 * caller ({@code ./qatysu config check}, the CLI, the daemon) reports all of them at once.
 */
public record SyncSettings(ProcessSettings process, ZoneId zone, PortalSettings portal, Optional<MoodleSettings> moodle,
                           Optional<OpenEdxSettings> openEdx, Optional<ToolSettings> tool, Set<Person.Status> suspendStatuses,
                           Map<GradeEntry.Item, GradeDirection> gradeDirections, Map<GradeEntry.Item, String> gradeComponents,
                           int capacityWithCameras, int capacityWithoutCameras,
                           SafetyLimits safety, Map<String, JobSchedule> jobs, SchedulerSettings scheduler, int metricsPort,
                           String metricsBind, Path stateDir, Optional<HttpSettings> alertWebhook, Optional<Secret> adminToken) {

    /** Without the admin pages ({@code sync.admin.token} unset). */
    public SyncSettings(ProcessSettings process, ZoneId zone, PortalSettings portal, Optional<MoodleSettings> moodle,
                        Optional<OpenEdxSettings> openEdx, Optional<ToolSettings> tool, Set<Person.Status> suspendStatuses,
                        Map<GradeEntry.Item, GradeDirection> gradeDirections, Map<GradeEntry.Item, String> gradeComponents,
                        int capacityWithCameras, int capacityWithoutCameras, SafetyLimits safety, Map<String, JobSchedule> jobs,
                        SchedulerSettings scheduler, int metricsPort, String metricsBind, Path stateDir, Optional<HttpSettings> alertWebhook) {
        this(process, zone, portal, moodle, openEdx, tool, suspendStatuses, gradeDirections, gradeComponents, capacityWithCameras,
                capacityWithoutCameras, safety, jobs, scheduler, metricsPort, metricsBind, stateDir, alertWebhook, Optional.empty());
    }

    public static final List<String> JOBS = List.of(AccountsJob.NAME, SectionsJob.NAME, TimetableJob.NAME, GradesJob.NAME, AttendanceJob.NAME,
            kz.qatysu.sync.proctoring.VerdictsJob.NAME);
    private static final Map<String, String> DEFAULT_CRONS = Map.of(AccountsJob.NAME, AccountsJob.DEFAULT_CRON,
            SectionsJob.NAME, SectionsJob.DEFAULT_CRON, TimetableJob.NAME, TimetableJob.DEFAULT_CRON,
            GradesJob.NAME, GradesJob.DEFAULT_CRON, AttendanceJob.NAME, AttendanceJob.DEFAULT_CRON,
            kz.qatysu.sync.proctoring.VerdictsJob.NAME, kz.qatysu.sync.proctoring.VerdictsJob.DEFAULT_CRON);

    /** The reconciliation's schedule key ({@code sync.jobs.reconcile.*}): Sunday 05:00, after the night's jobs. */
    public static final String RECONCILE = "reconcile";
    public static final String RECONCILE_CRON = "0 0 5 ? * SUN";

    public enum PortalKind { CSV, JDBC, REST }

    public enum SinkKind { NONE, CSV, JDBC }

    public record JdbcSettings(String url, String user, Optional<Secret> password) {
        @Override
        public String toString() {
            return "JdbcSettings[url=" + kz.qatysu.config.DatabaseSettings.maskJdbcPassword(url) + ", user=" + user + ", password=<masked>]";
        }
    }

    public record PortalSettings(PortalKind kind, Path csvFolder, Map<Entity, String> files, CsvPortalSource.Format csvFormat,
                                 Optional<JdbcSettings> jdbc,
                                 Map<Entity, String> views, Optional<HttpSettings> rest, Optional<String> restAuthHeader,
                                 Optional<Secret> restToken, Map<Entity, RestEndpoint> endpoints, FieldMapping mapping,
                                 SinkKind sink, Path outbox, Map<String, String> stagingTables) {
    }

    /** @param concurrency write batches in flight at once toward Moodle ({@code sync.moodle.concurrency}) */
    public record MoodleSettings(HttpSettings http, Secret token, MoodleOptions options, String lockGroupName, int concurrency) {
    }

    /** @param concurrency batches in flight at once toward Open edX ({@code sync.openedx.concurrency}) */
    public record OpenEdxSettings(HttpSettings http, String clientId, Secret clientSecret, int concurrency) {
    }

    /** Most batches in flight toward one system: the HTTP connector keeps at most 10 connections per host. */
    public static final int MAX_CONCURRENCY = 10;
    public static final int MOODLE_CONCURRENCY = 4;
    public static final int OPENEDX_CONCURRENCY = 2;

    /** Batches of {@code target} ({@code moodle.users}, {@code openedx.enrolments}, …) that may be in flight at once. */
    public int concurrency(String target) {
        if (target.startsWith("moodle.")) {
            return moodle.map(MoodleSettings::concurrency).orElse(1);
        }
        if (target.startsWith("openedx.")) {
            return openEdx.map(OpenEdxSettings::concurrency).orElse(1);
        }
        return 1;
    }

    public record ToolSettings(HttpSettings http, Secret token) {
    }

    public record JobSchedule(boolean enabled, String cron) {
    }

    /** @param checkinInterval how often a clustered node checks in ({@code sync.scheduler.checkinInterval}); a node
     *                        silent for this plus 7.5 s is taken for dead and its running jobs are recovered elsewhere */
    public record SchedulerSettings(boolean clustered, int threads, String instanceId, java.time.Duration checkinInterval) {
        public SchedulerSettings(boolean clustered, int threads, String instanceId) {
            this(clustered, threads, instanceId, java.time.Duration.ofMillis(7500));
        }
    }

    public static SyncSettings read(ConfigReader r) {
        ProcessSettings process = ProcessSettings.read(r);
        ZoneId zone = r.zone("sync.timezone", ZoneId.of("Asia/Almaty"));
        PortalSettings portal = portal(r, process);
        Optional<MoodleSettings> moodle = moodle(r);
        Optional<OpenEdxSettings> openEdx = Optional.empty();
        if (r.isPresent("sync.openedx.url") || r.isPresent("sync.openedx")) {
            HttpSettings http = HttpSettings.read(r, "sync.openedx.", "openedx", true);
            String clientId = r.requiredString("sync.openedx.clientId");
            Optional<Secret> secret = r.optionalSecret("sync.openedx.clientSecret");
            if (secret.isEmpty()) {
                r.problem("sync.openedx.clientSecret", "required (the OAuth2 client-credentials secret; QATYSU_SYNC_OPENEDX_CLIENT_SECRET_FILE)");
            }
            // Open edX throttles enrolment at 120/min for staff: stay under it unless told otherwise
            if (!r.isPresent("sync.openedx.rateLimit")) {
                http = http.withRateLimit(1.5);
            }
            openEdx = Optional.of(new OpenEdxSettings(http, clientId == null ? "" : clientId, secret.orElse(new Secret("")),
                    r.integer("sync.openedx.concurrency", OPENEDX_CONCURRENCY, 1, MAX_CONCURRENCY)));
        }
        Optional<ToolSettings> tool = Optional.empty();
        if (r.isPresent("sync.tool.url") || r.isPresent("sync.tool")) {
            // the daemon's token travels with every call: https, except to a tool on the same host
            HttpSettings http = HttpSettings.read(r, "sync.tool.", "tool", true);
            Optional<Secret> token = r.optionalSecret("sync.tool.token");
            if (token.isEmpty()) {
                r.problem("sync.tool.token", "required (an API token of the tool; QATYSU_SYNC_TOOL_TOKEN or _FILE)");
            }
            tool = Optional.of(new ToolSettings(http, token.orElse(new Secret(""))));
        }
        if (moodle.isEmpty() && openEdx.isEmpty() && tool.isEmpty() && r.isPresent("sync")) {
            r.problem("sync", "no target configured: set sync.moodle.url, sync.openedx.url and/or sync.tool.url");
        }
        Set<Person.Status> suspend = EnumSet.noneOf(Person.Status.class);
        List<String> statuses = r.isPresent("sync.accounts.suspendStatuses") ? r.stringList("sync.accounts.suspendStatuses")
                : List.of("expelled", "graduated", "academic-leave");
        for (String s : statuses) {
            try {
                suspend.add(Person.Status.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                r.problem("sync.accounts.suspendStatuses", "one of expelled, graduated, academic-leave expected, was '" + s + "'");
            }
        }
        Map<GradeEntry.Item, GradeDirection> grades = new EnumMap<>(GradeEntry.Item.class);
        Map<GradeEntry.Item, String> components = new EnumMap<>(GradeEntry.Item.class);
        gradeItems(r, grades, components);
        SafetyLimits safety = new SafetyLimits(
                r.decimal("sync.safety.maxSuspendShare", SafetyLimits.DEFAULT.maxSuspendShare(), 0, 1),
                r.decimal("sync.safety.maxChangeShare", SafetyLimits.DEFAULT.maxChangeShare(), 0, 1),
                r.integer("sync.safety.minRecords", SafetyLimits.DEFAULT.minKnown(), 0, 1_000_000),
                r.decimal("sync.safety.maxErrorShare", SafetyLimits.DEFAULT.maxErrorShare(), 0, 1));
        Map<String, JobSchedule> jobs = new LinkedHashMap<>();
        for (String job : JOBS) {
            String cron = r.string("sync.jobs." + job + ".cron", DEFAULT_CRONS.get(job));
            if (!CronExpression.isValidExpression(cron)) {
                r.problem("sync.jobs." + job + ".cron", "not a Quartz cron expression (seconds minutes hours day month weekday, e.g. '0 0 2 * * ?'): '" + cron + "'");
            }
            jobs.put(job, new JobSchedule(r.bool("sync.jobs." + job + ".enabled", true), cron));
        }
        String reconcileCron = r.string("sync.jobs." + RECONCILE + ".cron", RECONCILE_CRON);
        if (!CronExpression.isValidExpression(reconcileCron)) {
            r.problem("sync.jobs." + RECONCILE + ".cron", "not a Quartz cron expression (seconds minutes hours day month weekday, e.g. '"
                    + RECONCILE_CRON + "'): '" + reconcileCron + "'");
        }
        jobs.put(RECONCILE, new JobSchedule(r.bool("sync.jobs." + RECONCILE + ".enabled", true), reconcileCron));
        java.time.Duration checkin = r.duration("sync.scheduler.checkinInterval", java.time.Duration.ofMillis(7500));
        if (checkin.toMillis() < 500 || checkin.toMinutes() > 10) {
            r.problem("sync.scheduler.checkinInterval", "between 500ms and 10m expected, was " + checkin);
        }
        SchedulerSettings scheduler = new SchedulerSettings(r.bool("sync.scheduler.clustered", false),
                r.integer("sync.scheduler.threads", 2, 1, 20), r.string("sync.scheduler.instanceId", "AUTO"), checkin);
        return new SyncSettings(process, zone, portal, moodle, openEdx, tool, suspend, grades, components,
                r.integer("sync.video.capacityWithCameras", 400, 1, 1_000_000),
                r.integer("sync.video.capacityWithoutCameras", 600, 1, 1_000_000),
                safety, jobs, scheduler, r.integer("sync.metrics.port", 0, 0, 65535), metricsBind(r),
                r.path("sync.stateDir", process.dataDir().resolve("sync")).toAbsolutePath().normalize(),
                r.url("sync.alerts.webhook", true).map(u -> HttpSettings.readTuning(r, "sync.alerts.", "alerts", u).withRetries(3,
                        java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(10))),
                kz.qatysu.sync.admin.AdminToken.read(r));
    }

    /** The tool's component each item feeds unless configured: RK1 → RK1, midterm → MT, RK2 → RK2 (exam, final: none). */
    private static final Map<GradeEntry.Item, String> DEFAULT_COMPONENTS = Map.of(GradeEntry.Item.RK1, "RK1",
            GradeEntry.Item.MIDTERM, "MT", GradeEntry.Item.RK2, "RK2");
    private static final java.util.regex.Pattern COMPONENT = java.util.regex.Pattern.compile("\\p{L}[\\p{L}\\p{N}_-]{0,31}");

    /**
     * Per assessment item: its direction ({@code sync.grades.items.rk1: portal-to-lms}, or {@code ….rk1.direction}) and
     * the tool component its score feeds ({@code ….rk1.component: RK1}, {@code none} = not sent to the tool).
     */
    private static void gradeItems(ConfigReader r, Map<GradeEntry.Item, GradeDirection> directions, Map<GradeEntry.Item, String> components) {
        Map<String, String> keyOfComponent = new LinkedHashMap<>();
        for (GradeEntry.Item item : GradeEntry.Item.values()) {
            String key = "sync.grades.items." + item.name().toLowerCase(Locale.ROOT);
            GradeDirection def = item == GradeEntry.Item.FINAL ? GradeDirection.NONE : GradeDirection.PORTAL_TO_LMS;
            GradeDirection direction = r.enumValue(key, GradeDirection.class, def);
            if (r.optionalString(key + ".direction").isPresent()) {
                GradeDirection explicit = r.enumValue(key + ".direction", GradeDirection.class, def);
                if (r.optionalString(key).isPresent() && explicit != direction) {
                    r.problem(key + ".direction", "contradicts " + key + " (set the direction once)");
                }
                direction = explicit;
            }
            directions.put(item, direction);
            String componentKey = key + ".component";
            Optional<String> configured = r.optionalString(componentKey);
            String component = configured.orElse(DEFAULT_COMPONENTS.get(item));
            if (component == null || component.equalsIgnoreCase("none")) {
                continue;
            }
            if (!COMPONENT.matcher(component).matches()) {
                r.problem(componentKey, "a component of the tool (RK1, MT, RK2, or another configured in the tool's admission.*) or none"
                        + " expected, was '" + component + "'");
                continue;
            }
            component = component.toUpperCase(Locale.ROOT);
            if (configured.isPresent() && direction == GradeDirection.NONE) {
                r.problem(componentKey, "the item is not synced (" + key + " is none), so no score can feed component " + component
                        + ": give the item a direction or set the component to none");
                continue;
            }
            String other = keyOfComponent.putIfAbsent(component, componentKey);
            if (other != null) {
                r.problem(componentKey, "component " + component + " is already fed by " + other + "; each component takes one item");
                continue;
            }
            if (direction != GradeDirection.NONE) {
                components.put(item, component);
            }
        }
    }

    /** Default bind address of {@code GET /metrics}: loopback, as the endpoint has no authentication. */
    public static final String METRICS_BIND_DEFAULT = "127.0.0.1";

    /**
     * {@code sync.metrics.bind}: the literal IP address {@code /metrics} listens on (127.0.0.1 by default;
     * {@code 0.0.0.0} / {@code ::} for every interface). Host names are refused: no lookup at start-up.
     */
    static String metricsBind(ConfigReader r) {
        String bind = r.string("sync.metrics.bind", METRICS_BIND_DEFAULT);
        boolean literal = bind.matches("\\d{1,3}(\\.\\d{1,3}){3}") || bind.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
        if (literal) {
            try {
                java.net.InetAddress.getByName(bind);
                return bind;
            } catch (java.net.UnknownHostException e) {
                // reported below
            }
        }
        r.problem("sync.metrics.bind", "not a literal IP address (e.g. 127.0.0.1, ::1, 0.0.0.0): '" + bind + "'");
        return METRICS_BIND_DEFAULT;
    }

    private static PortalSettings portal(ConfigReader r, ProcessSettings process) {
        PortalKind kind = r.enumValue("sync.portal.kind", PortalKind.class, PortalKind.CSV);
        Path folder = r.path("sync.portal.csv.folder", process.dataDir().resolve("portal-drop")).toAbsolutePath().normalize();
        Map<Entity, String> files = new EnumMap<>(Entity.class);
        Map<Entity, String> views = new EnumMap<>(Entity.class);
        Map<Entity, RestEndpoint> endpoints = new EnumMap<>(Entity.class);
        FieldMapping mapping = FieldMapping.identity();
        for (Entity e : Entity.values()) {
            files.put(e, r.string("sync.portal.csv.files." + e.key(), e.key() + ".csv"));
            String view = r.string("sync.portal.jdbc.views." + e.key(), "v_" + e.key());
            try {
                views.put(e, JdbcPortalSource.checkIdentifier(view));
            } catch (IllegalArgumentException ex) {
                r.problem("sync.portal.jdbc.views." + e.key(), ex.getMessage());
            }
            for (String field : e.fields()) {
                r.optionalString("sync.portal.mapping." + e.key() + "." + field).ifPresent(col -> mapping.map(e, field, col));
            }
            String p = "sync.portal.rest.endpoints." + e.key() + ".";
            r.optionalString(p + "path").ifPresent(path -> endpoints.put(e, new RestEndpoint(path, r.string(p + "items", ""),
                    r.enumValue(p + "paging", RestEndpoint.Paging.class, RestEndpoint.Paging.PAGE), r.string(p + "pageParam", "page"),
                    r.string(p + "sizeParam", "size"), r.integer(p + "pageSize", 500, 1, 100_000), r.integer(p + "firstPage", 1, 0, 1),
                    r.string(p + "next", "/next"), r.optionalString(p + "total").orElse(null))));
        }
        Optional<JdbcSettings> jdbc = Optional.empty();
        SinkKind sink = r.enumValue("sync.portal.sink.kind", SinkKind.class, SinkKind.NONE);
        if (kind == PortalKind.JDBC || sink == SinkKind.JDBC) {
            String url = r.requiredString("sync.portal.jdbc.url");
            if (url != null) {
                try {
                    kz.qatysu.connectors.portal.SqlDialect.fromUrl(url);
                } catch (IllegalArgumentException e) {
                    r.problem("sync.portal.jdbc.url", e.getMessage() + ", was '" + kz.qatysu.config.DatabaseSettings.maskJdbcPassword(url) + "'");
                }
            }
            jdbc = Optional.of(new JdbcSettings(url == null ? "" : url, r.string("sync.portal.jdbc.user", "sync"),
                    r.optionalSecret("sync.portal.jdbc.password")));
        }
        Optional<HttpSettings> rest = Optional.empty();
        if (kind == PortalKind.REST) {
            rest = Optional.of(HttpSettings.read(r, "sync.portal.rest.", "portal", true));
            for (Entity e : List.of(Entity.PERSONS, Entity.SECTIONS, Entity.ENROLMENTS)) {
                if (!endpoints.containsKey(e)) {
                    r.problem("sync.portal.rest.endpoints." + e.key() + ".path", "required with sync.portal.kind=rest");
                }
            }
        } else if (kind == PortalKind.CSV && !r.isPresent("sync.portal.csv.folder") && r.isPresent("sync.portal")) {
            r.problem("sync.portal.csv.folder", "required with sync.portal.kind=csv (the folder the portal drops its exports in)");
        }
        Map<String, String> tables = new LinkedHashMap<>();
        for (String t : List.of("grades", "marks", "standing", "verdicts")) {
            String table = r.string("sync.portal.sink.tables." + t, "qatysu_" + t);
            try {
                tables.put(t, JdbcPortalSource.checkIdentifier(table));
            } catch (IllegalArgumentException ex) {
                r.problem("sync.portal.sink.tables." + t, ex.getMessage());
            }
        }
        Path outbox = r.path("sync.portal.sink.folder", process.dataDir().resolve("portal-outbox")).toAbsolutePath().normalize();
        return new PortalSettings(kind, folder, files, csvFormat(r), jdbc, views, rest, r.optionalString("sync.portal.rest.authHeader"),
                r.optionalSecret("sync.portal.rest.token"), endpoints, mapping, sink, outbox, tables);
    }

    /** {@code sync.portal.csv.delimiter} ({@code auto}, or one character; {@code tab}) and {@code .encoding}. */
    private static CsvPortalSource.Format csvFormat(ConfigReader r) {
        String d = r.string("sync.portal.csv.delimiter", "auto");
        Optional<Character> delimiter = Optional.empty();
        if (d.equalsIgnoreCase("tab") || d.equals("\t")) {
            delimiter = Optional.of('\t');
        } else if (d.length() == 1 && d.charAt(0) != '"' && d.charAt(0) != '\n' && d.charAt(0) != '\r') {
            delimiter = Optional.of(d.charAt(0));
        } else if (!d.equalsIgnoreCase("auto")) {
            r.problem("sync.portal.csv.delimiter", "auto, tab or one character such as , or ; expected, was '" + d + "'");
        }
        String e = r.string("sync.portal.csv.encoding", "UTF-8");
        java.nio.charset.Charset charset = java.nio.charset.StandardCharsets.UTF_8;
        try {
            charset = java.nio.charset.Charset.forName(e);
        } catch (IllegalArgumentException ex) {
            r.problem("sync.portal.csv.encoding", "an encoding this Java knows expected (UTF-8, windows-1251, …), was '" + e + "'");
        }
        return new CsvPortalSource.Format(delimiter, charset);
    }

    private static Optional<MoodleSettings> moodle(ConfigReader r) {
        if (!r.isPresent("sync.moodle.url") && !r.isPresent("sync.moodle")) {
            return Optional.empty();
        }
        HttpSettings http = HttpSettings.read(r, "sync.moodle.", "moodle", true);
        Optional<Secret> token = r.optionalSecret("sync.moodle.token");
        if (token.isEmpty()) {
            r.problem("sync.moodle.token", "required (a web-service token; QATYSU_SYNC_MOODLE_TOKEN or QATYSU_SYNC_MOODLE_TOKEN_FILE)");
        }
        MoodleOptions d = MoodleOptions.defaults();
        Map<Enrolment.Role, Integer> roles = new EnumMap<>(Enrolment.Role.class);
        for (Enrolment.Role role : Enrolment.Role.values()) {
            roles.put(role, r.integer("sync.moodle.roles." + role.name().toLowerCase(Locale.ROOT), d.roleIds().get(role), 1, 1_000_000));
        }
        Map<String, Long> categories = new LinkedHashMap<>();
        for (String entry : r.stringList("sync.moodle.categories")) {
            int eq = entry.indexOf('=');
            try {
                categories.put(entry.substring(0, eq).strip(), Long.parseLong(entry.substring(eq + 1).strip()));
            } catch (RuntimeException e) {
                r.problem("sync.moodle.categories", "entries like 'FACULTY=categoryId' expected, was '" + entry + "'");
            }
        }
        Optional<Long> template = r.optionalString("sync.moodle.templateCourseId").flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v));
            } catch (NumberFormatException e) {
                r.problem("sync.moodle.templateCourseId", "a Moodle course id (a number) expected, was '" + v + "'");
                return Optional.empty();
            }
        });
        int maxVars = r.integer("sync.moodle.maxInputVars", d.maxInputVars(), 100, 1_000_000);
        MoodleOptions options = new MoodleOptions(r.integer("sync.moodle.batchSize", d.batchSize(), 1, 500), maxVars,
                r.string("sync.moodle.auth", d.auth()), r.enumValue("sync.moodle.nameScript", Person.Script.class, d.nameScript()),
                roles, r.integer("sync.moodle.defaultCategory", (int) d.defaultCategory(), 1, Integer.MAX_VALUE), categories,
                template, r.optionalString("sync.moodle.lang"));
        return Optional.of(new MoodleSettings(http, token.orElse(new Secret("")), options,
                r.string("sync.moodle.lockGroupName", "Attendance lock"),
                r.integer("sync.moodle.concurrency", MOODLE_CONCURRENCY, 1, MAX_CONCURRENCY)));
    }
}
