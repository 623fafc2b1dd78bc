package kz.qatysu.tool.lti.registration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformInput;
import kz.qatysu.tool.lti.platforms.PlatformRepository;
import kz.qatysu.tool.lti.platforms.PlatformService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * LTI Dynamic Registration 1.0, tool side: read the platform's OpenID configuration, post the tool's registration
 * to the platform's registration endpoint, and store the platform (or a new deployment of a known client) with the
 * client id and deployment id the platform answered. Nothing is stored unless every step succeeded.
 *
 * @see <a href="https://www.imsglobal.org/spec/lti-dr/v1p0">LTI Dynamic Registration 1.0</a>
 */
public final class DynamicRegistration {
    private static final Logger log = LoggerFactory.getLogger(DynamicRegistration.class);
    private static final int MAX_BODY = 1_000_000;

    private final RegistrationCodes codes;
    private final PlatformRepository platformRepository;
    private final PlatformService platforms;
    private final HttpClient http;
    private final Duration timeout;
    private final URI publicUrl;
    private final ObjectMapper json;

    public DynamicRegistration(RegistrationCodes codes, PlatformRepository platformRepository, PlatformService platforms,
                               HttpClient http, Duration timeout, URI publicUrl, ObjectMapper json) {
        this.codes = codes;
        this.platformRepository = platformRepository;
        this.platforms = platforms;
        this.http = http;
        this.timeout = timeout;
        this.publicUrl = publicUrl;
        this.json = json;
    }

    /** The URL of the openid_configuration parameter, when it is one the tool may fetch (https, or loopback http). */
    public static URI configurationUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new RegistrationException(RegistrationFailure.MISSING_OPENID_CONFIGURATION,
                    "the platform did not send openid_configuration");
        }
        String problem = ConfigReader.urlProblem(raw.trim(), true);
        if (problem != null) {
            throw new RegistrationException(RegistrationFailure.OPENID_CONFIGURATION_URL, problem);
        }
        try {
            return new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new RegistrationException(RegistrationFailure.OPENID_CONFIGURATION_URL, e.getMessage());
        }
    }

    /** Fetches and checks the platform's configuration (no authentication, no redirects, bounded time and size). */
    public PlatformConfiguration fetch(URI configurationUrl) {
        HttpRequest request = HttpRequest.newBuilder(configurationUrl).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response = send(request, RegistrationFailure.OPENID_CONFIGURATION_UNREACHABLE);
        String body = read(response, RegistrationFailure.OPENID_CONFIGURATION_UNREACHABLE);
        if (response.statusCode() != 200) {
            throw new RegistrationException(RegistrationFailure.OPENID_CONFIGURATION_UNREACHABLE,
                    "HTTP " + response.statusCode() + " from " + configurationUrl);
        }
        return PlatformConfiguration.parse(configurationUrl, parse(body, RegistrationFailure.OPENID_CONFIGURATION_INVALID));
    }

    /** What the tool will ask for: the exact registration JSON. */
    public Map<String, Object> request(PlatformConfiguration platform) {
        return ToolRegistrationRequest.build(publicUrl, platform);
    }

    /**
     * Registers the tool with the platform and stores the result. {@code code} is empty in open mode.
     * The code is consumed in the same transaction that stores the platform.
     */
    public Registered complete(Optional<String> code, URI configurationUrl, String registrationToken) {
        code.ifPresent(codes::check);
        PlatformConfiguration platform = fetch(configurationUrl);
        String requestBody = write(request(platform));
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(platform.registrationEndpoint())).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody));
        if (registrationToken != null && !registrationToken.isBlank()) {
            post.header("Authorization", "Bearer " + registrationToken.trim());
        }
        HttpResponse<InputStream> response = send(post.build(), RegistrationFailure.PLATFORM_REFUSED);
        String answer = read(response, RegistrationFailure.PLATFORM_REFUSED);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new RegistrationException(RegistrationFailure.PLATFORM_REFUSED,
                    "HTTP " + response.statusCode() + ": " + excerpt(answer));
        }
        JsonNode registered = parse(answer, RegistrationFailure.PLATFORM_ANSWER_INVALID);
        String clientId = scalar(registered.path("client_id"));
        String deploymentId = scalar(registered.path(ToolRegistrationRequest.TOOL_CONFIGURATION).path("deployment_id"));
        if (clientId == null) {
            throw new RegistrationException(RegistrationFailure.PLATFORM_ANSWER_INVALID, "the answer has no client_id");
        }
        if (deploymentId == null) {
            throw new RegistrationException(RegistrationFailure.PLATFORM_ANSWER_INVALID,
                    "the answer has no " + ToolRegistrationRequest.TOOL_CONFIGURATION + ".deployment_id");
        }
        PlatformInput input = new PlatformInput(platform.issuer(), clientId, platform.displayName(),
                platform.authorizationEndpoint(), platform.tokenEndpoint(), platform.jwksUri(), List.of(deploymentId), true);
        InputProblems problems = PlatformService.validate(input);
        if (!problems.isEmpty()) {
            throw new RegistrationException(RegistrationFailure.PLATFORM_ANSWER_INVALID, problems.list().toString());
        }
        Registered result = store(code, platform, input, deploymentId);
        platforms.reload();
        log.info("Dynamic registration: {} client {} deployment {} ({})", platform.issuer(), clientId, deploymentId,
                result.newPlatform() ? "new platform" : "new deployment of platform " + result.platform().id());
        return result;
    }

    private Registered store(Optional<String> code, PlatformConfiguration platform, PlatformInput input, String deploymentId) {
        String actor = code.isPresent() ? "dynamic-registration" : "dynamic-registration(open)";
        return platformRepository.jdbi().inTransaction(h -> {
            Optional<Platform> existing = h.createQuery("SELECT id FROM platform WHERE issuer = :iss AND client_id = :cid FOR UPDATE")
                    .bind("iss", input.issuer()).bind("cid", input.clientId()).mapTo(Long.class).findOne()
                    .flatMap(platformRepository::find);
            long id;
            if (existing.isPresent()) {
                id = existing.get().id();
                platformRepository.addDeployment(h, id, deploymentId);
                platformRepository.audit(h, actor, "platform.addDeployment", "platform:" + id,
                        write(Map.of("deploymentId", deploymentId)));
            } else {
                id = platformRepository.insert(h, input, platform.productFamily(), "dynamic-registration").id();
                platformRepository.audit(h, actor, "platform.register", "platform:" + id, write(detail(input, platform)));
            }
            code.ifPresent(c -> codes.consume(h, c, id));
            return new Registered(id, existing.isEmpty(), deploymentId);
        }).withPlatform(platformRepository);
    }

    private static Map<String, Object> detail(PlatformInput in, PlatformConfiguration platform) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", in.issuer());
        m.put("clientId", in.clientId());
        m.put("deploymentIds", in.deploymentIds());
        m.put("productFamily", platform.productFamily());
        m.put("version", platform.version());
        m.put("configuration", platform.configurationUrl().toString());
        return m;
    }

    private HttpResponse<InputStream> send(HttpRequest request, RegistrationFailure failure) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RegistrationException(failure, request.uri() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistrationException(failure, "interrupted while calling " + request.uri());
        }
    }

    private static String read(HttpResponse<InputStream> response, RegistrationFailure failure) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new RegistrationException(failure, "the answer from " + response.uri() + " is larger than 1 MB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RegistrationException(failure, response.uri() + ": " + e.getMessage());
        }
    }

    private JsonNode parse(String body, RegistrationFailure failure) {
        try {
            JsonNode n = json.readTree(body);
            if (n == null || !n.isObject()) {
                throw new RegistrationException(failure, "not a JSON object: " + excerpt(body));
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new RegistrationException(failure, "not JSON: " + excerpt(body));
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moodle answers a numeric-looking deployment id as a string; other platforms may send a number. */
    private static String scalar(JsonNode n) {
        if (n.isTextual() && !n.asText().isBlank()) {
            return n.asText().trim();
        }
        if (n.isIntegralNumber()) {
            return n.asText();
        }
        return null;
    }

    private static String excerpt(String s) {
        String oneLine = s.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }

    /** What was stored: the platform id, whether it is new or an added deployment, and the deployment id. */
    public record Registered(long platformId, boolean newPlatform, String deploymentId, Platform platform) {
        Registered(long platformId, boolean newPlatform, String deploymentId) {
            this(platformId, newPlatform, deploymentId, null);
        }

        Registered withPlatform(PlatformRepository repository) {
            return new Registered(platformId, newPlatform, deploymentId, repository.find(platformId).orElseThrow());
        }
    }
}
