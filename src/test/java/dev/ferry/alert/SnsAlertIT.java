package dev.ferry.alert;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Amazon SNS deliveries of CloudWatch alarms, signed with a test certificate (the real SNS key is
 * not ours to use) that a local server hands out the way SNS does; the fixtures' shapes are kept.
 */
class SnsAlertIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer certificates;
    private static PrivateKey key;
    private static final AtomicInteger CONFIRMATIONS = new AtomicInteger();

    @BeforeAll
    static void signingCertificate() throws Exception {
        Path dir = Files.createTempDirectory("sns-test");
        Path store = dir.resolve("sns.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "sns", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=sns.test",
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "sns", "-keystore", store.toString(), "-storepass", "changeit",
                "-file", dir.resolve("sns.pem").toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        key = (PrivateKey) keys.getKey("sns", "changeit".toCharArray());
        byte[] pem = Files.readAllBytes(dir.resolve("sns.pem"));
        certificates = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        certificates.createContext("/SimpleNotificationService-test.pem", exchange -> {
            exchange.sendResponseHeaders(200, pem.length);
            exchange.getResponseBody().write(pem);
            exchange.close();
        });
        certificates.createContext("/confirm", exchange -> {
            CONFIRMATIONS.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        certificates.start();
    }

    @AfterAll
    static void stop() {
        certificates.stop(0);
    }

    @Test
    void aSubscriptionConfirmationIsVerifiedAndConfirmed() throws Exception {
        ObjectNode message = (ObjectNode) fixture("sns-subscription-confirmation.json");
        message.put("SubscribeURL", local("/confirm?Action=ConfirmSubscription"));
        Api.Response response = deliver("SubscriptionConfirmation", sign(message));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode result = response.json();
        assertThat(result.get("confirmed").asBoolean()).isTrue();
        assertThat(CONFIRMATIONS.get()).isEqualTo(1);
    }

    @Test
    void anAlarmRollsBackItsJobOnlyWhenSignedBySns() throws Exception {
        String alarm = "fluxion-backend-5xx-" + UUID.randomUUID().toString().substring(0, 8);
        Api api = api();
        String plan = Jobs.registerPlan(api, "sns-alarm", """
                name: %s
                parameters:
                  - {name: alertMatchers, type: map, required: true}
                phases:
                  cutover:
                    steps:
                      - {id: switch, action: noop, compensate: {action: noop}}
                      - {id: watch, action: wait, with: {duration: PT60S}}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of("alertMatchers", Map.of("alarmName", alarm)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                "RUNNING".equals(Jobs.step(Jobs.get(api, id), "watch").get("status").asText()));

        ObjectNode tampered = sign(notification(alarm, "ALARM"));
        tampered.put("Subject", "ALARM: something else");
        Api.Response refused = deliver("Notification", tampered);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("type").asText()).endsWith("/alert-signature-invalid");
        assertThat(Jobs.get(api, id).get("state").asText()).isEqualTo("RUNNING");

        ObjectNode foreign = notification(alarm, "ALARM").put("SigningCertURL", "https://evil.example.com/sns.pem");
        assertThat(deliver("Notification", sign(foreign)).status()).isEqualTo(403);

        JsonNode ok = deliver("Notification", sign(notification(alarm, "OK"))).json();
        assertThat(ok.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("IGNORED_RESOLVED");

        JsonNode fired = deliver("Notification", sign(notification(alarm, "ALARM"))).json();
        assertThat(fired.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("ROLLED_BACK");
        awaitState(api, id, "ROLLED_BACK");
        JsonNode repeat = deliver("Notification", sign(notification(alarm, "ALARM"))).json();
        assertThat(repeat.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("DUPLICATE");
    }

    private static ObjectNode notification(String alarm, String state) throws Exception {
        ObjectNode message = (ObjectNode) fixture("sns-cloudwatch-alarm-notification.json");
        ObjectNode body = (ObjectNode) JSON.readTree(message.get("Message").asText());
        body.put("AlarmName", alarm).put("NewStateValue", state)
                .put("AlarmArn", "arn:aws:cloudwatch:us-east-1:000000000000:alarm:" + alarm);
        return message.put("Message", body.toString()).put("MessageId", UUID.randomUUID().toString());
    }

    /** Signs as SNS does (SignatureVersion 2: SHA256withRSA over "Key\nvalue\n" of the signed keys). */
    private static ObjectNode sign(ObjectNode message) throws Exception {
        message.put("SignatureVersion", "2");
        if (!message.get("SigningCertURL").asText().startsWith("https://evil")) {
            message.put("SigningCertURL", local("/SimpleNotificationService-test.pem"));
        }
        List<String> keys = message.get("Type").asText().equals("Notification")
                ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
        StringBuilder canonical = new StringBuilder();
        for (String k : keys) {
            if (message.hasNonNull(k)) {
                canonical.append(k).append('\n').append(message.get(k).asText()).append('\n');
            }
        }
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return message.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
    }

    private Api.Response deliver(String type, JsonNode message) {
        return api().send(api().request("/api/v1/alerts/sns")
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", type)
                .header("x-amz-sns-message-id", message.path("MessageId").asText())
                .header("x-amz-sns-topic-arn", message.path("TopicArn").asText())
                .POST(HttpRequest.BodyPublishers.ofString(message.toString())));
    }

    private static String local(String path) {
        return "http://127.0.0.1:" + certificates.getAddress().getPort() + path;
    }

    private static JsonNode fixture(String name) throws Exception {
        try (InputStream in = SnsAlertIT.class.getResourceAsStream("/fixtures/alerts/" + name)) {
            return JSON.readTree(in);
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
    }
}
