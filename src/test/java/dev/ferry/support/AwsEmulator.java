package dev.ferry.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS-protocol emulator every AWS test talks to (a real moto server, never mocks of the SDK):
 * {@code AWS_ENDPOINT_URL} if set; else a Testcontainers moto where a Docker engine answers; else
 * a local {@code moto_server} on 127.0.0.1, installed into {@code target/moto} from PyPI on first
 * use. One emulator per test JVM; tests keep apart by using unique resource names.
 */
public final class AwsEmulator {

    public static final String REGION = "us-east-1";
    private static final String MOTO = "moto[server]>=5,<6";
    private static URI endpoint;

    static {
        // moto accepts any credentials; the service's default chain finds these.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.region", REGION);
    }

    private AwsEmulator() {}

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            endpoint = start();
        }
        return endpoint;
    }

    /** An SDK client for test assertions, talking to the emulator. */
    public static <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    private static URI start() {
        String configured = System.getenv("AWS_ENDPOINT_URL");
        if (configured != null && !configured.isBlank()) {
            return URI.create(configured);
        }
        if (dockerAvailable()) {
            GenericContainer<?> moto = new GenericContainer<>("motoserver/moto:5.1.4")
                    .withExposedPorts(5000)
                    .waitingFor(Wait.forHttp("/moto-api/").forStatusCode(200));
            moto.start();
            return URI.create("http://" + moto.getHost() + ":" + moto.getMappedPort(5000));
        }
        return startLocal();
    }

    private static URI startLocal() {
        try {
            Path home = Path.of("target", "moto").toAbsolutePath();
            Path server = home.resolve("bin/moto_server");
            if (!Files.isExecutable(server)) {
                FirstUse.install(MOTO + " (pip, from PyPI)", home, () -> {
                    run(home.getParent(), "python3", "-m", "venv", home.toString());
                    run(
                            home.getParent(),
                            home.resolve("bin/pip").toString(),
                            "install",
                            "--quiet",
                            "--disable-pip-version-check",
                            MOTO);
                    return null;
                });
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Process process = new ProcessBuilder(server.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("moto.log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            URI uri = URI.create("http://127.0.0.1:" + port);
            awaitReady(uri, process);
            return uri;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto", e);
        }
    }

    private static void awaitReady(URI uri, Process process) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("moto_server exited; see target/moto/moto.log");
                        }
                        return answers(http, uri.resolve("/moto-api/"));
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("moto_server did not answer on " + uri + " within 60 s");
        }
    }

    private static boolean answers(HttpClient http, URI uri) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void run(Path directory, String... command) throws IOException {
        Files.createDirectories(directory);
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .inheritIO()
                .start();
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("failed: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
