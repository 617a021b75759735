package dev.ferry.action.local;

import static dev.ferry.action.local.Contexts.T0;
import static dev.ferry.action.local.Contexts.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.action.ActionResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpCheckActionTest {

    /** One scripted answer of the test server. */
    private record Answer(int status, String body) {}

    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<String> methodsSeen = new CopyOnWriteArrayList<>();
    private final HttpCheckAction check = new HttpCheckAction(HttpCheckProperties.defaults());
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            methodsSeen.add(exchange.getRequestMethod());
            Answer answer = script.isEmpty() ? new Answer(200, "{\"status\":\"ok\"}") : script.poll();
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), head || body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (!head) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    private void answer(int status, String body) {
        script.add(new Answer(status, body));
    }

    private ActionResult run(String with, ObjectNode progress) {
        return check.execute(call(with, 1, progress, T0));
    }

    private ActionResult run(String with) {
        return run(with, JsonNodeFactory.instance.objectNode());
    }

    @Test
    void succeedsOnTheExpectedStatus() {
        answer(200, "{\"status\":\"ok\"}");

        ActionResult.Succeeded result = (ActionResult.Succeeded) run("{\"url\":\"" + url() + "\"}");

        assertThat(result.output().get("status").asInt()).isEqualTo(200);
        assertThat(result.output().get("successes").asInt()).isEqualTo(1);
        assertThat(result.output().get("latencyMs").asLong()).isNotNegative();
        assertThat(result.output().has("lastBody")).isFalse();
        assertThat(methodsSeen).containsExactly("GET");
    }

    @Test
    void anUnexpectedStatusIsAFailureThatWaitsForTheInterval() {
        answer(503, "down");

        ActionResult.InProgress result =
                (ActionResult.InProgress) run("{\"url\":\"" + url() + "\",\"interval\":\"PT2S\"}");

        assertThat(result.pollAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(result.progress().get("failures").asInt()).isEqualTo(1);
        assertThat(result.progress().get("lastFailure").asText()).isEqualTo("expected status 200, got status 503");
    }

    @Test
    void honoursExpectedStatusAndHead() {
        answer(204, "");

        ActionResult result = run("{\"url\":\"" + url() + "\",\"method\":\"HEAD\",\"expectedStatus\":204}");

        assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(((ActionResult.Succeeded) result).output().has("lastBody")).isFalse();
        assertThat(methodsSeen).containsExactly("HEAD");
    }

    @Test
    void matchesAJsonPointer() {
        answer(200, "{\"db\":{\"status\":\"UP\",\"replicas\":3}}");
        answer(200, "{\"db\":{\"status\":\"UP\",\"replicas\":3.0}}");

        String byText = "{\"url\":\"" + url() + "\",\"jsonPointer\":\"/db/status\",\"equals\":\"UP\"}";
        String byNumber = "{\"url\":\"" + url() + "\",\"jsonPointer\":\"/db/replicas\",\"equals\":3}";

        assertThat(run(byText)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(run(byNumber)).isInstanceOf(ActionResult.Succeeded.class);
    }

    @Test
    void reportsAJsonPointerMismatch() {
        answer(200, "{\"db\":{\"status\":\"DOWN\"}}");
        answer(200, "{\"other\":1}");
        answer(200, "<html>");
        String with = "{\"url\":\"" + url() + "\",\"jsonPointer\":\"/db/status\",\"equals\":\"UP\"}";

        assertThat(lastFailure(run(with))).isEqualTo("expected /db/status == \"UP\", got \"DOWN\"");
        assertThat(lastFailure(run(with))).isEqualTo("expected /db/status == \"UP\", got nothing at /db/status");
        assertThat(lastFailure(run(with))).isEqualTo("expected /db/status == \"UP\", got a body that is not JSON");
    }

    @Test
    void needsConsecutiveSuccessesAndAFailureResetsTheCount() {
        String with = "{\"url\":\"" + url() + "\",\"consecutiveSuccesses\":2}";
        answer(200, "{}");
        answer(500, "{}");
        answer(200, "{}");
        answer(200, "{}");

        ActionResult.InProgress one = (ActionResult.InProgress) run(with);
        ActionResult.InProgress reset = (ActionResult.InProgress) run(with, one.progress());
        ActionResult.InProgress again = (ActionResult.InProgress) run(with, reset.progress());
        ActionResult done = run(with, again.progress());

        assertThat(one.progress().get("successes").asInt()).isEqualTo(1);
        assertThat(reset.progress().get("successes").asInt()).isZero();
        assertThat(again.progress().get("successes").asInt()).isEqualTo(1);
        assertThat(((ActionResult.Succeeded) done).output().get("successes").asInt())
                .isEqualTo(2);
    }

    @Test
    void failsRetryablyAfterTheFailureThreshold() {
        String with = "{\"url\":\"" + url() + "\",\"failureThreshold\":2}";
        answer(502, "");
        answer(502, "");

        ActionResult.InProgress first = (ActionResult.InProgress) run(with);
        ActionResult.Failed failed = (ActionResult.Failed) run(with, first.progress());

        assertThat(failed.retryable()).isTrue();
        assertThat(failed.code()).isEqualTo("CHECK_FAILED");
        assertThat(failed.message())
                .contains("expected status 200, got status 502")
                .contains("2 consecutive failures");
        assertThat(failed.detail().get("failures").asInt()).isEqualTo(2);
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        String with = "{\"url\":\"" + url() + "\",\"failureThreshold\":2,\"consecutiveSuccesses\":5}";
        answer(500, "");
        answer(200, "");
        answer(500, "");

        ActionResult.InProgress failedOnce = (ActionResult.InProgress) run(with);
        ActionResult.InProgress recovered = (ActionResult.InProgress) run(with, failedOnce.progress());
        ActionResult result = run(with, recovered.progress());

        assertThat(result).isInstanceOf(ActionResult.InProgress.class);
        assertThat(((ActionResult.InProgress) result).progress().get("failures").asInt())
                .isEqualTo(1);
    }

    @Test
    void connectionRefusedCountsAsAFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        String with = "{\"url\":\"http://127.0.0.1:" + closedPort + "/health\",\"failureThreshold\":1}";

        ActionResult.Failed failed = (ActionResult.Failed) run(with);

        assertThat(failed.code()).isEqualTo("CHECK_FAILED");
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.message()).contains("connection error");
    }

    @Test
    void aSlowServerCountsAsAFailure() {
        // The server answers only once the check has given up: slow however fast the machine is.
        CountDownLatch checkDone = new CountDownLatch(1);
        server.createContext("/slow", exchange -> {
            try {
                checkDone.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/slow";

        ActionResult.InProgress result =
                (ActionResult.InProgress) run("{\"url\":\"" + url + "\",\"requestTimeout\":\"PT0.2S\"}");
        checkDone.countDown();

        assertThat(result.progress().get("failures").asInt()).isEqualTo(1);
        assertThat(result.progress().get("lastFailure").asText()).contains("expected status 200, got no");
    }

    @Test
    void neverKeepsTheBodyOnlyWhatWasDecided() {
        answer(200, "{\"status\":\"ok\",\"secret\":\"" + "x".repeat(5_000) + "\"}");
        answer(200, "{\"status\":\"ok\",\"secret\":\"s3cr3t\"}");

        ActionResult.Succeeded whole = (ActionResult.Succeeded) run("{\"url\":\"" + url() + "\"}");
        ActionResult.Succeeded pointed = (ActionResult.Succeeded) run("{\"url\":\"" + url()
                + "\",\"jsonPointer\":\"\",\"equals\":{\"status\":\"ok\",\"secret\":\"s3cr3t\"}}");

        assertThat(whole.output().toString()).doesNotContain("xxxx").doesNotContain("secret");
        // A pointer to the whole document matches it, yet stores only its shape.
        assertThat(pointed.output().get("value").asText()).isEqualTo("an object with 2 field(s)");
        assertThat(pointed.output().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void aNameThatResolvesToTheMetadataAddressIsRefusedWithoutAConnection() {
        // Stands in for DNS: the test cannot make a real name answer 169.254.169.254.
        HttpCheckAction guarded = new HttpCheckAction(
                HttpCheckProperties.defaults(), host -> new InetAddress[] {InetAddress.getByName("169.254.169.254")});

        ActionResult.Failed failed = (ActionResult.Failed) guarded.execute(call(
                "{\"url\":\"http://health.internal.example/status\"}", 1, JsonNodeFactory.instance.objectNode(), T0));

        assertThat(failed.code()).isEqualTo(HttpCheckAction.ADDRESS_REFUSED);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.message()).contains("169.254.169.254 is the cloud metadata address, always refused");
        assertThat(methodsSeen).isEmpty();
    }

    @Test
    void loopbackIsRefusedWhenNotAllowedAndAllowedByItsRange() {
        answer(200, "{}");
        HttpCheckAction strict = new HttpCheckAction(new HttpCheckProperties(false, false, List.of()));
        HttpCheckAction listed = new HttpCheckAction(new HttpCheckProperties(false, false, List.of("127.0.0.0/8")));

        ActionResult.Failed refused = (ActionResult.Failed)
                strict.execute(call("{\"url\":\"" + url() + "\"}", 1, JsonNodeFactory.instance.objectNode(), T0));
        ActionResult allowed =
                listed.execute(call("{\"url\":\"" + url() + "\"}", 1, JsonNodeFactory.instance.objectNode(), T0));

        assertThat(refused.message())
                .contains("127.0.0.1 is a loopback address, refused (ferry.http-check.allow-loopback");
        assertThat(allowed).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(methodsSeen).containsExactly("GET");
    }

    @Test
    void describesTheCheck() {
        assertThat(check.describe(Contexts.json("{\"url\":\"https://a/h\",\"jsonPointer\":\"/s\",\"equals\":\"ok\"}")))
                .isEqualTo("GET https://a/h every PT5S until status 200 with /s == \"ok\" 1 time(s) in a row;"
                        + " fail after 3 consecutive failures");
    }

    private static String lastFailure(ActionResult result) {
        return ((ActionResult.InProgress) result).progress().get("lastFailure").asText();
    }
}
