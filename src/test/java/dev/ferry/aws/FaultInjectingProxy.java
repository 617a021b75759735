package dev.ferry.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of the emulator that forwards every request unchanged, or, when told,
 * answers instead with an AWS-style error in the service's own wire format, and counts requests
 * (so a test can see the SDK's own retries).
 */
final class FaultInjectingProxy implements AutoCloseable {

    // The JDK client sets these itself and refuses them from callers.
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final URI upstream;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Fault fault;

    /** An error answer: status, content type, body and the request id AWS would send. */
    record Fault(int status, String contentType, String body, String requestId) {

        /** The JSON 1.1 protocol's error shape (ECS, Secrets Manager, CloudWatch Logs...). */
        static Fault json11(int status, String type, String message) {
            return new Fault(status, "application/x-amz-json-1.1",
                    "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}", "fault-" + UUID.randomUUID());
        }
    }

    private FaultInjectingProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FaultInjectingProxy start(URI upstream) {
        try {
            return new FaultInjectingProxy(upstream);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the proxy", e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void failWith(Fault answer) {
        fault = answer;
    }

    void pass() {
        fault = null;
    }

    int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Fault answer = fault;
            if (answer != null) {
                exchange.getResponseHeaders().add("Content-Type", answer.contentType());
                exchange.getResponseHeaders().add("x-amzn-RequestId", answer.requestId());
                respond(exchange, answer.status(), answer.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpResponse<byte[]> response = forward(exchange, body);
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            respond(exchange, response.statusCode(), response.body());
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException {
        URI target = URI.create(upstream.toString().replaceAll("/$", "") + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).method(exchange.getRequestMethod(),
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
