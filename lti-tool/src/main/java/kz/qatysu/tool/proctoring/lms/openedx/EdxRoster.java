package kz.qatysu.tool.proctoring.lms.openedx;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.deans.AdminAudit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * edx-exams' learners by name (docs/PROCTORING.md "The person"). edx-exams' LtiStartProctoring names the learner only by
 * its own per-user UUID ({@code sub} = {@code User.anonymous_user_id}). Its Instructor Tool launch (an
 * LtiResourceLinkRequest of the exam's resource link) carries the custom parameter {@code roster_url}: an endpoint that
 * answers the exam's staff's browser (their edx-exams session) {@code [[anonymous_user_id, username], …]} for the users
 * with an attempt. The exam's Open edX page fetches it there and posts the pairs here; the tool keeps
 * {@code (platform, sub) → username} and an LtiStartProctoring without a portal person takes the person whose portal
 * login the username is.
 */
public final class EdxRoster {
    /** The custom parameter of edx-exams' Instructor Tool launch. */
    static final String ROSTER_URL = "roster_url";
    /** At most this many pairs in one post (an exam of a whole faculty is a few thousand learners). */
    static final int MAX_PAIRS = 10_000;
    /** At most this many bytes in one post: {@link #MAX_PAIRS} pairs of a UUID and a 150-character username fit. */
    static final int MAX_BODY = 2 * 1024 * 1024;
    /** {@code str(uuid.UUID)} as Django's JSON encoder writes edx-exams' {@code anonymous_user_id}. */
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** An Open edX username: Django's letters, digits and {@code _.@+-} (Unicode usernames too), inner spaces, ≤ 150. */
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{M}\\p{N}_.@+-](?:[\\p{L}\\p{M}\\p{N}_.@+ -]{0,148}[\\p{L}\\p{M}\\p{N}_.@+-])?");

    private final Jdbi jdbi;
    private final AdminAudit audit;
    private final Clock clock;

    public EdxRoster(Jdbi jdbi, AdminAudit audit, Clock clock) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
    }

    // ---- rules -----------------------------------------------------------------------------------------------------

    /**
     * The roster URL a launch's custom parameter names, as an https URL: {@code https://host/path} as sent, or
     * {@code host/path} with the scheme stripped (edx-exams notes a URL custom parameter may lose its scheme); any other
     * scheme (http included), user info, a fragment or no host is refused (empty).
     */
    static Optional<URI> rosterUrl(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > 2000 || raw.chars().anyMatch(c -> c <= ' ')) {
            return Optional.empty();
        }
        String s = raw.strip();
        if (!s.contains("://")) {
            if (s.startsWith("/") || s.contains(":") && !s.matches("[^/:]+:\\d{1,5}(/.*)?")) {
                return Optional.empty();
            }
            s = "https://" + s;
        }
        try {
            URI u = new URI(s);
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getHost().isEmpty()
                    || u.getRawUserInfo() != null || u.getRawFragment() != null) {
                return Optional.empty();
            }
            return Optional.of(u);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** {@code https://host[:port]}: the origin the page's CSP lets its script fetch from. */
    static String origin(URI u) {
        return "https://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() == -1 || u.getPort() == 443 ? "" : ":" + u.getPort());
    }

    /** One learner of the roster: edx-exams' anonymous user id (lower case) and their Open edX username. */
    public record Pair(String subject, String username) {
    }

    /**
     * The pairs of a roster as edx-exams answers it ({@code [["<uuid>", "<username>"], …]}); 400 naming each malformed
     * pair by index and field ({@code [3].anonymousUserId}, {@code [3].username}), nothing kept.
     */
    static List<Pair> parse(JsonNode body) {
        if (body == null || !body.isArray()) {
            throw ApiException.badRequest("a JSON array of [anonymous_user_id, username] pairs expected; nothing stored",
                    List.of(new ApiException.Detail("", "a JSON array expected")));
        }
        if (body.size() > MAX_PAIRS) {
            throw ApiException.badRequest("roster refused; nothing stored", List.of(new ApiException.Detail("",
                    "at most " + MAX_PAIRS + " pairs, was " + body.size())));
        }
        List<Pair> pairs = new ArrayList<>(body.size());
        List<ApiException.Detail> problems = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            JsonNode p = body.get(i);
            if (!p.isArray() || p.size() != 2) {
                problems.add(new ApiException.Detail("[" + i + "]", "a pair [anonymous_user_id, username] expected"));
                continue;
            }
            JsonNode id = p.get(0);
            JsonNode name = p.get(1);
            boolean ok = true;
            if (!id.isTextual() || !UUID.matcher(id.asText()).matches()) {
                problems.add(new ApiException.Detail("[" + i + "].anonymousUserId", "a UUID expected (edx-exams' anonymous_user_id)"));
                ok = false;
            }
            if (!name.isTextual() || !USERNAME.matcher(name.asText()).matches()) {
                problems.add(new ApiException.Detail("[" + i + "].username",
                        "an Open edX username expected: 1–150 letters, digits or _.@+- (inner spaces allowed)"));
                ok = false;
            }
            if (ok) {
                pairs.add(new Pair(id.asText().toLowerCase(Locale.ROOT), name.asText()));
            }
            if (problems.size() >= 20) {
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("roster refused; nothing stored", problems);
        }
        return pairs;
    }

    // ---- the roster URL --------------------------------------------------------------------------------------------

    /** Where the exam's roster is read from: the newest Instructor Tool launch's roster URL on that platform. */
    public record Source(long platformId, String resourceLinkId, String examId, URI rosterUrl, String seenBy, Instant seenAt) {
        public String origin() {
            return EdxRoster.origin(rosterUrl);
        }
    }

    /** Remembers the roster URL an Instructor Tool launch of the exam's resource link carried (the newest wins). */
    void rememberSource(long platformId, String resourceLinkId, String examId, URI rosterUrl, String by) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO openedx_roster_source (platform_id, resource_link_id, exam_id, roster_url, seen_by, seen_at)
                        VALUES (:p, :r, :e, :url, :by, :at) ON CONFLICT (platform_id, resource_link_id) DO UPDATE SET
                            exam_id = EXCLUDED.exam_id, roster_url = EXCLUDED.roster_url, seen_by = EXCLUDED.seen_by,
                            seen_at = EXCLUDED.seen_at""")
                .bind("p", platformId).bind("r", resourceLinkId).bind("e", examId).bind("url", rosterUrl.toString())
                .bind("by", by).bind("at", Timestamp.from(clock.instant())).execute());
    }

    /** The exam's newest roster URL from {@code platformId} (whose browser sessions can read it). */
    public Optional<Source> sourceOf(String examId, long platformId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM openedx_roster_source s
                        WHERE s.exam_id = :e AND s.platform_id = :p
                          AND EXISTS (SELECT 1 FROM openedx_exam_link l WHERE l.platform_id = s.platform_id
                                      AND l.resource_link_id = s.resource_link_id AND l.exam_id = s.exam_id)
                        ORDER BY s.seen_at DESC LIMIT 1""")
                .bind("e", examId).bind("p", platformId)
                .map((rs, ctx) -> new Source(rs.getLong("platform_id"), rs.getString("resource_link_id"), rs.getString("exam_id"),
                        URI.create(rs.getString("roster_url")), rs.getString("seen_by"), rs.getTimestamp("seen_at").toInstant()))
                .findOne());
    }

    // ---- the learners ----------------------------------------------------------------------------------------------

    /** What the tool knows of the exam's roster: learners whose username is a portal person's, and the rest. */
    public record Counts(int known, int unknown) {
    }

    /**
     * Keeps the roster's pairs as the platform's learners (the newest roster wins for a learner), audited; returns the
     * counts of the pairs just posted.
     */
    public Counts learn(long platformId, String examId, List<Pair> pairs, String actor) {
        Instant now = clock.instant();
        int changed = jdbi.inTransaction(h -> {
            int n = 0;
            var batch = h.prepareBatch("""
                    INSERT INTO openedx_learner (platform_id, subject, username, exam_id, learned_by, learned_at)
                    VALUES (:p, :s, :u, :e, :by, :at) ON CONFLICT (platform_id, subject) DO UPDATE SET
                        username = EXCLUDED.username, exam_id = EXCLUDED.exam_id, learned_by = EXCLUDED.learned_by,
                        learned_at = EXCLUDED.learned_at
                    WHERE openedx_learner.username IS DISTINCT FROM EXCLUDED.username
                       OR openedx_learner.exam_id IS DISTINCT FROM EXCLUDED.exam_id""");
            for (Pair pair : pairs) {
                batch.bind("p", platformId).bind("s", pair.subject()).bind("u", pair.username()).bind("e", examId)
                        .bind("by", actor).bind("at", Timestamp.from(now)).add();
            }
            if (!pairs.isEmpty()) {
                for (int c : batch.execute()) {
                    n += c;
                }
            }
            return n;
        });
        Counts counts = counts(pairs);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("platformId", platformId);
        detail.put("pairs", pairs.size());
        detail.put("changed", changed);
        detail.put("known", counts.known());
        detail.put("unknown", counts.unknown());
        audit.record(actor, "exam.openedx.roster", "exam:" + examId, detail);
        return counts;
    }

    /** Of these pairs: how many usernames are a portal person's (a portal login, or a person id itself), how many not. */
    Counts counts(List<Pair> pairs) {
        if (pairs.isEmpty()) {
            return new Counts(0, 0);
        }
        String[] names = pairs.stream().map(p -> p.username().strip().toLowerCase(Locale.ROOT)).toArray(String[]::new);
        String[] raw = pairs.stream().map(Pair::username).toArray(String[]::new);
        int known = jdbi.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM unnest(:names, :raw) AS r(login, username)
                        WHERE EXISTS (SELECT 1 FROM person_login l WHERE l.login = r.login)
                           OR EXISTS (SELECT 1 FROM person p WHERE p.person_id = r.username)""")
                .bind("names", names).bind("raw", raw).mapTo(Integer.class).one());
        return new Counts(known, pairs.size() - known);
    }

    /** The counts over the learners the exam's rosters named last (what the page shows before its script runs). */
    public Counts counts(long platformId, String examId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT count(*) FILTER (WHERE known) AS known, count(*) FILTER (WHERE NOT known) AS unknown
                        FROM (SELECT EXISTS (SELECT 1 FROM person_login l WHERE l.login = lower(btrim(o.username)))
                                     OR EXISTS (SELECT 1 FROM person p WHERE p.person_id = o.username) AS known
                              FROM openedx_learner o WHERE o.platform_id = :p AND o.exam_id = :e) k""")
                .bind("p", platformId).bind("e", examId)
                .map((rs, ctx) -> new Counts(rs.getInt("known"), rs.getInt("unknown"))).one());
    }

    /** A learner a roster named: their Open edX username and the portal person whose login it is (null: none). */
    record Known(String username, String loginPerson) {
    }

    /** The username a roster gave the platform's {@code sub}, and its portal person, on the launch's connection. */
    static Optional<Known> known(Handle h, long platformId, String subject) {
        return h.createQuery("""
                        SELECT o.username, l.person_id FROM openedx_learner o
                        LEFT JOIN person_login l ON l.login = lower(btrim(o.username))
                        WHERE o.platform_id = :p AND o.subject = lower(:s)""")
                .bind("p", platformId).bind("s", subject)
                .map((rs, ctx) -> new Known(rs.getString("username"), rs.getString("person_id"))).findOne();
    }
}
