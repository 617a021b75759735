package dev.ferry.aws.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The post-processor for real: a moto_server child process from a sandbox home, answering where
 * {@code ferry.aws.endpoint} says, reachable with the SDK's default credential chain, stopped on close.
 */
class SandboxEnvironmentIT {

    private static final Path INSTALLED = Path.of("target", "moto").toAbsolutePath();

    @TempDir
    Path temp;

    private final SandboxEnvironment postProcessor =
            new SandboxEnvironment(destination -> LogFactory.getLog(SandboxEnvironmentIT.class));
    private String accessKey;
    private String secretKey;

    @BeforeEach
    void noCredentials() {
        accessKey = System.clearProperty("aws.accessKeyId");
        secretKey = System.clearProperty("aws.secretAccessKey");
    }

    @AfterEach
    void stopAndRestore() {
        if (postProcessor.started() != null) {
            postProcessor.started().close();
        }
        restore("aws.accessKeyId", accessKey);
        restore("aws.secretAccessKey", secretKey);
    }

    @Test
    void startsMotoFromTheSandboxHomeAndPointsFerryAtIt() throws Exception {
        Path home = sandboxHome();
        MockEnvironment environment = new MockEnvironment().withProperty("ferry.sandbox.home", home.toString());
        environment.setActiveProfiles("sandbox");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        URI endpoint = URI.create(environment.getProperty("ferry.aws.endpoint"));
        assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
        HttpResponse<Void> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(),
                        HttpResponse.BodyHandlers.discarding());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(home.resolve("moto.log")).exists();
        // The default chain, as AwsClients uses it, finds the dummy credentials moto accepts.
        try (StsClient sts = StsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .build()) {
            assertThat(sts.getCallerIdentity().account()).isNotBlank();
        }

        MotoServer moto = (MotoServer) postProcessor.started();
        moto.close();
        assertThat(moto.isAlive()).isFalse();
    }

    /**
     * A fresh home that reuses the moto the test emulator installed (its venv scripts name their
     * interpreter by absolute path, so a link to {@code bin} is enough); without one, the
     * post-processor installs into {@code target/moto}, which the emulator then reuses.
     */
    private Path sandboxHome() throws Exception {
        if (!Files.isExecutable(INSTALLED.resolve("bin").resolve("moto_server"))) {
            return INSTALLED;
        }
        Files.createSymbolicLink(temp.resolve("bin"), INSTALLED.resolve("bin"));
        return temp;
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
