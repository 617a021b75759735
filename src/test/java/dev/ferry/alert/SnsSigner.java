package dev.ferry.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signs SNS messages the way SNS does, with a test certificate (the real SNS key is not ours to
 * use) that a local server hands out the way SNS does; the server also counts every request per
 * path, so a test can show that a URL was never visited.
 */
final class SnsSigner implements AutoCloseable {

    static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:ferry-alarms";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final PrivateKey key;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    private SnsSigner(HttpServer server, PrivateKey key) {
        this.server = server;
        this.key = key;
    }

    static SnsSigner start() throws Exception {
        Path dir = Files.createTempDirectory("sns-test");
        Path store = dir.resolve("sns.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(
                keytool,
                "-genkeypair",
                "-alias",
                "sns",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=sns.test",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit");
        run(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "sns",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-file",
                dir.resolve("sns.pem").toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        byte[] pem = Files.readAllBytes(dir.resolve("sns.pem"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SnsSigner signer = new SnsSigner(server, (PrivateKey) keys.getKey("sns", "changeit".toCharArray()));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            signer.requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = path.endsWith(".pem") ? pem : new byte[0];
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return signer;
    }

    /** How many requests reached {@code path}. */
    int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** A URL of this server, which the tests' {@code cert-url-pattern} lets stand in for SNS. */
    String local(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    /** A CloudWatch alarm notification for the accepted topic, sent now, with a new MessageId. */
    static ObjectNode notification(String alarm, String state) throws Exception {
        ObjectNode message = (ObjectNode) fixture("sns-cloudwatch-alarm-notification.json");
        ObjectNode body = (ObjectNode) JSON.readTree(message.get("Message").asText());
        body.put("AlarmName", alarm)
                .put("NewStateValue", state)
                .put("AlarmArn", "arn:aws:cloudwatch:us-east-1:000000000000:alarm:" + alarm);
        return message.put("Message", body.toString())
                .put("MessageId", UUID.randomUUID().toString())
                .put("Timestamp", Instant.now().toString());
    }

    /** A subscription confirmation for the accepted topic, sent now, that asks to visit {@code subscribeUrl}. */
    static ObjectNode confirmation(String subscribeUrl) throws Exception {
        return ((ObjectNode) fixture("sns-subscription-confirmation.json"))
                .put("SubscribeURL", subscribeUrl)
                .put("MessageId", UUID.randomUUID().toString())
                .put("Timestamp", Instant.now().toString());
    }

    /** Signs as SNS does with SignatureVersion 2 and this server's certificate. */
    ObjectNode sign(ObjectNode message) throws Exception {
        return sign(message, "2", local("/SimpleNotificationService-test.pem"));
    }

    /** Signs "Key\nvalue\n" of the signed keys, SHA1 for version 1 and SHA256 otherwise. */
    ObjectNode sign(ObjectNode message, String version, String certificateUrl) throws Exception {
        message.put("SignatureVersion", version).put("SigningCertURL", certificateUrl);
        List<String> keys = message.get("Type").asText().equals("Notification")
                ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
        StringBuilder canonical = new StringBuilder();
        for (String k : keys) {
            if (message.hasNonNull(k)) {
                canonical.append(k).append('\n').append(message.get(k).asText()).append('\n');
            }
        }
        Signature signer = Signature.getInstance("1".equals(version) ? "SHA1withRSA" : "SHA256withRSA");
        signer.initSign(key);
        signer.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return message.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
    }

    private static JsonNode fixture(String name) throws Exception {
        try (InputStream in = SnsSigner.class.getResourceAsStream("/fixtures/alerts/" + name)) {
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

    @Override
    public void close() {
        server.stop(0);
    }
}
