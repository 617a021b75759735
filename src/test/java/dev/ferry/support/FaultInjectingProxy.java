package dev.ferry.support;

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
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP proxy in front of the emulator that forwards every request unchanged, or, when told,
 * answers instead with an AWS-style error in the service's own wire format, and counts requests
 * (so a test can see the SDK's own retries). In {@link #chaos} mode it picks, per request and
 * from a seeded random, one of {@link Chaos}: throttling and 5xx in the caller's protocol (JSON
 * for {@code X-Amz-Target} requests, S3's XML otherwise), a connection cut mid-response, or a
 * slow answer.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    // The JDK client sets these itself and refuses them from callers.
    private static final Set<String> HOP_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final URI upstream;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<Chaos, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private volatile Fault fault;
    private volatile Random chaos;
    private volatile double faultRate;
    private volatile Duration delay = Duration.ZERO;
    private final Map<String, Function<String, Fault>> answers = new ConcurrentHashMap<>();

    /** An error answer: status, content type, body and the request id AWS would send. */
    public record Fault(int status, String contentType, String body, String requestId) {

        /** The JSON 1.1 protocol's error shape (ECS, Secrets Manager, CloudWatch Logs...). */
        public static Fault json11(int status, String type, String message) {
            return new Fault(
                    status,
                    "application/x-amz-json-1.1",
                    "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}",
                    "fault-" + UUID.randomUUID());
        }

        /** The REST-XML error shape of S3 (and the query protocols' inner {@code Error}). */
        public static Fault xml(int status, String code, String message) {
            return new Fault(
                    status,
                    "application/xml",
                    "<Error><Code>" + code + "</Code><Message>" + message
                            + "</Message><RequestId>fault</RequestId></Error>",
                    "fault-" + UUID.randomUUID());
        }
    }

    /** What chaos mode may do to one request. */
    public enum Chaos {
        PASS,
        THROTTLE,
        SERVER_ERROR,
        RESET,
        SLOW
    }

    private FaultInjectingProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FaultInjectingProxy start(URI upstream) {
        try {
            return new FaultInjectingProxy(upstream);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the proxy", e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void failWith(Fault answer) {
        fault = answer;
    }

    /**
     * Answers every request for {@code operation} (the query protocols' {@code Action}, or the
     * operation in {@code X-Amz-Target}) with what {@code answer} makes of the request body, instead
     * of forwarding it: an operation the emulator lacks, or a state it cannot reach.
     */
    public void answer(String operation, Function<String, Fault> answer) {
        answers.put(operation, answer);
    }

    /** Forwards everything again (no fixed fault, no answers, no chaos, no delay). */
    public void pass() {
        answers.clear();
        fault = null;
        chaos = null;
        delay = Duration.ZERO;
    }

    /** Every request waits this long before it is forwarded (an AWS call that hangs). */
    public void delay(Duration each) {
        delay = each;
    }

    /** From now on a share {@code rate} of requests meets one of the faults, chosen by {@code random}. */
    public void chaos(Random random, double rate) {
        faultRate = rate;
        chaos = random;
    }

    public int requests() {
        return requests.get();
    }

    /** How many requests met each outcome in chaos mode. */
    public Map<Chaos, Integer> outcomes() {
        Map<Chaos, Integer> counts = new TreeMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    private Chaos roll() {
        Random random = chaos;
        if (random == null) {
            return null;
        }
        synchronized (random) {
            if (random.nextDouble() >= faultRate) {
                return Chaos.PASS;
            }
            Chaos[] faults = {Chaos.THROTTLE, Chaos.SERVER_ERROR, Chaos.RESET, Chaos.SLOW};
            return faults[random.nextInt(faults.length)];
        }
    }

    /** Throttling or a 5xx in the protocol the caller speaks. */
    private static Fault protocolFault(HttpExchange exchange, Chaos chaos) {
        boolean json = exchange.getRequestHeaders().containsKey("X-Amz-Target");
        if (chaos == Chaos.THROTTLE) {
            return json
                    ? Fault.json11(400, "ThrottlingException", "Rate exceeded")
                    : Fault.xml(503, "SlowDown", "Please reduce your request rate.");
        }
        return json
                ? Fault.json11(500, "InternalFailure", "We encountered an internal error")
                : Fault.xml(500, "InternalError", "We encountered an internal error. Please try again.");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Chaos chance = roll();
            if (chance != null) {
                outcomes.computeIfAbsent(chance, k -> new AtomicInteger()).incrementAndGet();
            }
            ServiceProcess.sleep(delay);
            if (chance == Chaos.SLOW) {
                ServiceProcess.sleep(
                        Duration.ofMillis(500 + ThreadLocalRandom.current().nextInt(1500)));
            }
            Fault answer =
                    chance == Chaos.THROTTLE || chance == Chaos.SERVER_ERROR ? protocolFault(exchange, chance) : fault;
            Function<String, Fault> answering = answers.get(operation(exchange, body));
            if (answer == null && answering != null) {
                answer = answering.apply(new String(body, StandardCharsets.UTF_8));
            }
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
            if ("HEAD".equals(exchange.getRequestMethod())) {
                // A HEAD answer has no body but does say how long the object is.
                response.headers().firstValue("Content-Length").ifPresent(length -> exchange.getResponseHeaders()
                        .set("Content-Length", length));
            }
            if (chance == Chaos.RESET) {
                cut(exchange, response.body());
                return;
            }
            respond(exchange, response.statusCode(), response.body());
        }
    }

    private static String operation(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            return target.substring(target.indexOf('.') + 1);
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("Action=")) {
                return pair.substring("Action=".length());
            }
        }
        return "";
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException {
        URI target = URI.create(upstream.toString().replaceAll("/$", "")
                + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
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

    /** Promises the whole body, sends half of it, and drops the connection. */
    private static void cut(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length + 64L);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        throw new IOException("connection cut by the fault proxy");
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
