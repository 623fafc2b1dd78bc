package kz.qatysu.tool.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A small HTTP client for the tool's REST API in tests: real requests, JSON bodies, a bearer token. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final RunningTool tool;
    private final String token;

    public Api(RunningTool tool, String token) {
        this.tool = tool;
        this.token = token;
    }

    public static Api admin(RunningTool tool) {
        return new Api(tool, RunningTool.ADMIN_TOKEN);
    }

    public Api as(String otherToken) {
        return new Api(tool, otherToken);
    }

    public Response put(String path, String json) {
        return send("PUT", path, json);
    }

    public Response post(String path, String json) {
        return send("POST", path, json);
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /** Fails the test unless the answer is 2xx; returns its JSON. */
    public JsonNode ok(Response r) {
        if (r.status() / 100 != 2) {
            throw new AssertionError("expected 2xx, got " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    public static String seg(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public Response send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .header("Accept", "application/json");
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8),
                    r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    public record Response(int status, String body, String contentType) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }
}
