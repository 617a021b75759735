package dev.ferry.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/** A Server-Sent Events client for tests: parses the real stream line by line, as a browser would. */
public final class SseClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One dispatched event; a comment-only block (heartbeat) has a null event name. */
    public record Event(String id, String event, String data, String comment) {

        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private final CompletableFuture<Void> reader;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = CompletableFuture.runAsync(this::read);
    }

    /**
     * Opens {@code path} with the caller's headers (identity) plus any {@code Last-Event-ID}. Like a
     * well-behaved client, it tries again while the answer is {@code 429} (its caller's streams are
     * all in use: a stream a test closed a moment ago counts until the service's next write to it
     * fails), for up to a minute; then the last answer is returned as it is.
     */
    public static SseClient open(Api api, String path, String lastEventId) {
        SseClient[] last = new SseClient[1];
        try {
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        last[0] = attempt(api, path, lastEventId);
                        if (last[0].status() != 429) {
                            return true;
                        }
                        last[0].close();
                        return false;
                    });
        } catch (ConditionTimeoutException refusedAllAlong) {
            return attempt(api, path, lastEventId);
        }
        return last[0];
    }

    private static SseClient attempt(Api api, String path, String lastEventId) {
        HttpRequest.Builder request = api.request(path).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(
                    CLIENT.send(request.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The next event (heartbeats included), waiting up to {@code atMost}. */
    public Event next(Duration atMost) {
        if (status() != 200) {
            throw new AssertionError("the stream was refused: " + status() + " "
                    + response.headers().map());
        }
        try {
            Event event = events.poll(atMost.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("no event within " + atMost);
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Job events (heartbeats skipped) until one matches {@code last}, all of them in order. */
    public List<Event> until(Predicate<Event> last, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        List<Event> seen = new ArrayList<>();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event.event() == null) {
                continue;
            }
            seen.add(event);
            if (last.test(event)) {
                return seen;
            }
        }
    }

    private void read() {
        String id = null;
        String name = null;
        String comment = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null || comment != null) {
                        events.add(new Event(id, name, data == null ? null : data.toString(), comment));
                    }
                    name = null;
                    comment = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comment = line.substring(1).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n'))
                            .append(line.substring(5).trim());
                }
            }
        } catch (UncheckedIOException e) {
            // closed by the test
        }
    }

    @Override
    public void close() {
        reader.cancel(true);
        response.body().close();
    }
}
