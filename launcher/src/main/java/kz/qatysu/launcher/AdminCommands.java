package kz.qatysu.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.config.ProcessSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Administrator commands that talk to a running tool through its admin REST API (so they work the same against
 * an embedded or an external database): {@code platforms list|add|disable|register-url}, {@code keys rotate}.
 * The tool URL is {@code --url} or the configured public URL; the token is the configured admin token.
 */
final class AdminCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminCommands() {
    }

    static int platforms(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("""
                    usage: ./qatysu platforms list
                           ./qatysu platforms add --issuer URL --client-id ID --name NAME --auth-login-url URL \\
                                                  --auth-token-url URL --key-set-url URL --deployment-id ID [--deployment-id ID ...]
                           ./qatysu platforms disable ID
                           ./qatysu platforms register-url [--valid-for PT24H]   one-time LTI Dynamic Registration URL
                    options: --url TOOL_URL (default: publicUrl), --config FILE""");
            return 2;
        }
        Api api = Api.from(args, env);
        return switch (args[0]) {
            case "list" -> api.print(api.send("GET", "/api/v1/admin/platforms", null), out, err, 200);
            case "add" -> {
                ObjectNode body = JSON.createObjectNode();
                body.put("issuer", option(args, "--issuer"));
                body.put("clientId", option(args, "--client-id"));
                body.put("name", option(args, "--name"));
                body.put("authLoginUrl", option(args, "--auth-login-url"));
                body.put("authTokenUrl", option(args, "--auth-token-url"));
                body.put("keySetUrl", option(args, "--key-set-url"));
                var deployments = body.putArray("deploymentIds");
                options(args, "--deployment-id").forEach(deployments::add);
                yield api.print(api.send("POST", "/api/v1/admin/platforms", body.toString()), out, err, 201);
            }
            case "disable" -> args.length < 2 ? usageError(err, "platforms disable ID")
                    : api.print(api.send("DELETE", "/api/v1/admin/platforms/" + args[1], null), out, err, 200);
            case "register-url" -> {
                ObjectNode body = JSON.createObjectNode();
                String validFor = option(args, "--valid-for");
                if (validFor != null) {
                    body.put("validFor", validFor);
                }
                yield api.print(api.send("POST", "/api/v1/admin/registrations", body.toString()), out, err, 201);
            }
            default -> usageError(err, "platforms list|add|disable|register-url");
        };
    }

    static int keys(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("rotate")) {
            return usageError(err, "keys rotate [--url TOOL_URL]");
        }
        Api api = Api.from(args, env);
        return api.print(api.send("POST", "/api/v1/admin/keys/rotate", ""), out, err, 200);
    }

    private static int usageError(PrintStream err, String usage) {
        err.println("usage: ./qatysu " + usage);
        return 2;
    }

    static String option(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    static List<String> options(String[] args, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                out.add(args[i + 1]);
            }
        }
        return out;
    }

    private record Api(URI base, String token, HttpClient http) {
        static Api from(String[] args, Map<String, String> env) {
            ConfigProblems problems = new ConfigProblems();
            ProcessSettings p = ProcessSettings.read(new ConfigReader(
                    ConfigSource.load(ConfigSource.locate(args, env).orElse(null), env), problems));
            problems.throwIfAny();
            String url = option(args, "--url");
            String token = p.adminToken().map(t -> t.reveal()).orElseThrow(() -> new kz.qatysu.config.ConfigException(
                    List.of(new kz.qatysu.config.ConfigProblem("admin.token", "required for admin commands (QATYSU_ADMIN_TOKEN)"))));
            return new Api(URI.create(url != null ? url : p.publicUrl().toString()), token,
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        }

        HttpResponse<String> send(String method, String path, String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json");
            if (body != null) {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException("cannot reach the tool at " + base + ": " + e.getMessage()
                        + " (is it running? pass --url)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        int print(HttpResponse<String> r, PrintStream out, PrintStream err, int expected) {
            try {
                JsonNode node = JSON.readTree(r.body());
                String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
                (r.statusCode() == expected ? out : err).println(pretty);
            } catch (IOException e) {
                (r.statusCode() == expected ? out : err).println(r.body());
            }
            return r.statusCode() == expected ? 0 : 1;
        }
    }
}
