package kz.qatysu.tool.lti.platforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Registering, changing and disabling platforms, and the registry the login and launch paths read. The registry
 * is an in-memory snapshot, refreshed on every change here and, in the background of a request, when it is older than
 * 2 s: other nodes behind the proxy may have changed it, and every page's frame-ancestors comes from it (a platform
 * registered on node A must be able to frame pages served by node B). One request reloads at a time; the others
 * read the snapshot they have. The platforms are a few rows: a reload is one small query.
 */
public final class PlatformService {
    static final Duration REFRESH = Duration.ofSeconds(2);

    private final PlatformRepository repository;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Registry registry;
    private final java.util.concurrent.atomic.AtomicBoolean reloading = new java.util.concurrent.atomic.AtomicBoolean();
    private final Object missReload = new Object();

    public PlatformService(PlatformRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public List<Platform> list() {
        return repository.all();
    }

    public Platform get(long id) {
        return repository.find(id).orElseThrow(() -> ApiException.notFound("no platform with id " + id));
    }

    public Platform register(PlatformInput input, String actor, String source) {
        PlatformInput in = normalize(input);
        validate(in).throwIfAny("invalid platform registration");
        Platform saved;
        try {
            saved = repository.jdbi().inTransaction(h -> {
                Platform p = repository.insert(h, in, null, source);
                repository.audit(h, actor, "platform.register", "platform:" + p.id(), detail(p));
                return p;
            });
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                reload(); // registered by another node or request: this node's registry must know it from now on
                throw new ApiException(409, "a platform with issuer '" + in.issuer() + "' and client id '"
                        + in.clientId() + "' is already registered");
            }
            throw e;
        }
        reload();
        return saved;
    }

    public Platform update(long id, PlatformInput input, String actor) {
        PlatformInput in = normalize(input);
        validate(in).throwIfAny("invalid platform registration");
        Platform saved;
        try {
            saved = repository.jdbi().inTransaction(h -> {
                Platform p = repository.update(h, id, in).orElseThrow(() -> ApiException.notFound("no platform with id " + id));
                repository.audit(h, actor, "platform.update", "platform:" + id, detail(p));
                return p;
            });
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                throw new ApiException(409, "another platform already has issuer '" + in.issuer() + "' and client id '" + in.clientId() + "'");
            }
            throw e;
        }
        reload();
        return saved;
    }

    /** DELETE disables: launches from a disabled platform are refused, its history stays. */
    public Platform disable(long id, String actor) {
        Platform p = repository.jdbi().inTransaction(h -> {
            Platform disabled = repository.setEnabled(h, id, false).orElseThrow(() -> ApiException.notFound("no platform with id " + id));
            repository.audit(h, actor, "platform.disable", "platform:" + id, "{}");
            return disabled;
        });
        reload();
        return p;
    }

    /** Registers the platforms listed in configuration that are not registered yet (by issuer + client id). */
    public void seed(List<PlatformInput> configured) {
        for (PlatformInput in : configured) {
            if (repository.findByIssuerAndClient(in.issuer(), in.clientId()).isEmpty()) {
                register(in, "config", "config");
            }
        }
    }

    /** The platform a login initiation names: by issuer and client id, or by issuer alone when it is unambiguous. */
    public Optional<Platform> forLogin(String issuer, String clientId) {
        long asked = System.nanoTime();
        Optional<Platform> found = forLogin(registry(), issuer, clientId);
        if (found.isEmpty()) {
            // registered on another node a moment ago: look again in a registry read after this login arrived
            found = forLogin(readSince(asked), issuer, clientId);
        }
        return found;
    }

    /**
     * A registry whose query started after {@code asked}. Unknown issuers may be sent by anyone, so misses do not each
     * query: one reload runs at a time, and every miss that arrived before it started shares it. A time-based limit
     * ("once a second") is not enough between nodes: a reload that began just before node A committed a registration
     * would refuse node B's logins for that platform until the limit passed.
     */
    private Registry readSince(long asked) {
        synchronized (missReload) {
            Registry r = registry;
            if (r != null && r.queriedFrom - asked >= 0) {
                return r;
            }
            reload();
            return registry;
        }
    }

    private static Optional<Platform> forLogin(Registry r, String issuer, String clientId) {
        if (clientId != null && !clientId.isBlank()) {
            return Optional.ofNullable(r.byIssuerAndClient.get(issuer + "\n" + clientId));
        }
        List<Platform> candidates = r.byId.values().stream().filter(p -> p.issuer().equals(issuer)).toList();
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    public Optional<Platform> byId(long id) {
        long asked = System.nanoTime();
        Platform p = registry().byId.get(id);
        if (p == null) {
            p = readSince(asked).byId.get(id);
        }
        return Optional.ofNullable(p);
    }

    /** Origins of the enabled platforms (the LMSs allowed to frame the tool); computed once per registry snapshot. */
    public List<String> enabledOrigins() {
        return registry().enabledOrigins;
    }

    /** Adds a deployment id (dynamic registration of a second deployment of a known client). */
    public void addDeployment(long id, String deploymentId, String actor) {
        repository.jdbi().useTransaction(h -> {
            repository.addDeployment(h, id, deploymentId);
            repository.audit(h, actor, "platform.addDeployment", "platform:" + id, json(Map.of("deploymentId", deploymentId)));
        });
        reload();
    }

    public Platform registerFromDynamicRegistration(PlatformInput in, String productFamily) {
        PlatformInput n = normalize(in);
        validate(n).throwIfAny("invalid platform registration");
        Platform saved = repository.jdbi().inTransaction(h -> {
            Platform p = repository.insert(h, n, productFamily, "dynamic-registration");
            repository.audit(h, "dynamic-registration", "platform.register", "platform:" + p.id(), detail(p));
            return p;
        });
        reload();
        return saved;
    }

    public void reload() {
        long queriedFrom = System.nanoTime();
        List<Platform> all = repository.all();
        registry = new Registry(
                all.stream().collect(Collectors.toUnmodifiableMap(Platform::id, Function.identity())),
                all.stream().collect(Collectors.toUnmodifiableMap(p -> p.issuer() + "\n" + p.clientId(), Function.identity())),
                all.stream().filter(Platform::enabled).map(Platform::origin).filter(o -> o != null).distinct().toList(),
                clock.instant(), queriedFrom);
    }

    private Registry registry() {
        Registry r = registry;
        if (r == null) {
            reload();
            return registry;
        }
        if (r.loadedAt.plus(REFRESH).isBefore(clock.instant()) && reloading.compareAndSet(false, true)) {
            try {
                reload();
                r = registry;
            } finally {
                reloading.set(false);
            }
        }
        return r;
    }

    /** Every problem of a registration, by field, with what was expected. */
    public static InputProblems validate(PlatformInput in) {
        InputProblems p = new InputProblems();
        requireUrl(p, "issuer", in.issuer());
        if (blank(in.clientId())) {
            p.add("clientId", "required");
        } else if (in.clientId().length() > 255) {
            p.add("clientId", "at most 255 characters");
        }
        if (blank(in.name())) {
            p.add("name", "required");
        }
        requireUrl(p, "authLoginUrl", in.authLoginUrl());
        requireUrl(p, "authTokenUrl", in.authTokenUrl());
        requireUrl(p, "keySetUrl", in.keySetUrl());
        if (in.deploymentIds() == null || in.deploymentIds().isEmpty()) {
            p.add("deploymentIds", "at least one deployment id required");
        } else {
            for (int i = 0; i < in.deploymentIds().size(); i++) {
                String d = in.deploymentIds().get(i);
                if (blank(d)) {
                    p.add("deploymentIds[" + i + "]", "must not be empty");
                } else if (d.length() > 255) {
                    p.add("deploymentIds[" + i + "]", "at most 255 characters");
                }
            }
        }
        return p;
    }

    private static void requireUrl(InputProblems p, String field, String value) {
        if (blank(value)) {
            p.add(field, "required (an https URL)");
            return;
        }
        String problem = ConfigReader.urlProblem(value, true);
        if (problem != null) {
            p.add(field, problem);
        }
    }

    private static PlatformInput normalize(PlatformInput in) {
        return new PlatformInput(trim(in.issuer()), trim(in.clientId()), trim(in.name()), trim(in.authLoginUrl()),
                trim(in.authTokenUrl()), trim(in.keySetUrl()),
                in.deploymentIds() == null ? List.of() : in.deploymentIds().stream().map(PlatformService::trim).toList(),
                in.enabled());
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean isUniqueViolation(Exception e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    private String detail(Platform p) {
        return json(Map.of("issuer", p.issuer(), "clientId", p.clientId(), "name", p.name(),
                "keySetUrl", p.keySetUrl().toString(), "deploymentIds", p.deploymentIds(), "enabled", p.enabled()));
    }

    private String json(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Registry(Map<Long, Platform> byId, Map<String, Platform> byIssuerAndClient, List<String> enabledOrigins,
                            Instant loadedAt, long queriedFrom) {
    }
}
