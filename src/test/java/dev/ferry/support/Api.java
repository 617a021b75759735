package dev.ferry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain HTTP client for tests: real requests to the real port, no exceptions on error statuses,
 * real bearer credentials ({@link TestTokens}).
 */
public final class Api {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private static final String AUTHORIZATION = "Authorization";

    private final Map<String, String> headers = new LinkedHashMap<>();
    private String user;
    private List<String> roles = List.of();

    /** A client without credentials; see {@link #viewer(String)} for the usual start. */
    public Api(String base) {
        this.base = base;
    }

    /** A client that reads as a dashboard would: user {@code dashboard}, role {@code viewer}. */
    public static Api viewer(String base) {
        return new Api(base).as("dashboard", "viewer");
    }

    /**
     * A copy that authenticates as {@code user} with a signed JWT carrying exactly these roles, or
     * every human role ({@link TestTokens#EVERY_HUMAN_ROLE}) when none are named, so that tests
     * about something else than authorization need not care.
     */
    public Api as(String user, String... roles) {
        Api copy = copy();
        copy.user = user;
        copy.roles = roles.length == 0 ? TestTokens.EVERY_HUMAN_ROLE : List.of(roles);
        copy.headers.remove(AUTHORIZATION);
        return copy;
    }

    /** A copy that sends this bearer token as it is (a static API token, a forged or expired JWT). */
    public Api bearer(String token) {
        Api copy = copy();
        copy.user = null;
        copy.headers.put(AUTHORIZATION, "Bearer " + token);
        return copy;
    }

    /** A copy that sends no credentials. */
    public Api anonymous() {
        Api copy = copy();
        copy.user = null;
        copy.headers.remove(AUTHORIZATION);
        return copy;
    }

    private Api copy() {
        Api copy = new Api(base);
        copy.headers.putAll(headers);
        copy.user = user;
        copy.roles = roles;
        return copy;
    }

    public Api header(String name, String value) {
        Api copy = copy();
        if (AUTHORIZATION.equalsIgnoreCase(name)) {
            copy.user = null;
        }
        copy.headers.put(name, value);
        return copy;
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, Object body) {
        return post(path, "application/json", body == null ? "" : toJson(body));
    }

    public Response post(String path, String contentType, String body) {
        HttpRequest.Builder request =
                request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        return send(request);
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        if (user != null) {
            // Minted per request: a long test never sends an expired token.
            request.header(AUTHORIZATION, "Bearer " + TestTokens.jwt(user, roles));
        }
        return request;
    }

    private static String toJson(Object body) {
        if (body instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Status, headers and body of one response. */
    public record Response(int status, Map<String, List<String>> headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
