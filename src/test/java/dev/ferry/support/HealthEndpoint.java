package dev.ferry.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A health endpoint on 127.0.0.1 for {@code http.check} steps: answers {@code {"status":"UP"}},
 * counts the requests it served, and can hold its answers until the test releases them (a slow
 * dependency whose speed the test controls, so no test depends on how fast the machine is).
 */
public final class HealthEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private HealthEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                awaitGate();
                byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public static HealthEndpoint start() {
        try {
            return new HealthEndpoint();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    /** Requests from now on wait, unanswered, until {@link #release()}. */
    public HealthEndpoint hold() {
        gate = new CountDownLatch(1);
        return this;
    }

    /** Answers every held request, and the later ones at once. */
    public HealthEndpoint release() {
        gate.countDown();
        return this;
    }

    private void awaitGate() {
        try {
            // Bounded so that a test that forgets to release cannot leave a server thread behind forever.
            gate.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
