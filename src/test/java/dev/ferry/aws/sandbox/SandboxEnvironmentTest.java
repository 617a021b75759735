package dev.ferry.aws.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** When the post-processor starts an emulator, and what it tells the rest of Ferry. No moto is started here. */
class SandboxEnvironmentTest {

    private final List<Path> launches = new ArrayList<>();
    private final SandboxEnvironment postProcessor = new SandboxEnvironment(
            destination -> LogFactory.getLog(SandboxEnvironmentTest.class), (home, python, timeout, log) -> {
                launches.add(home);
                return new FakeEmulator(URI.create("http://127.0.0.1:4566"));
            });
    private final MockEnvironment environment = new MockEnvironment();
    private String accessKey;
    private String secretKey;

    @BeforeEach
    void noCredentials() {
        accessKey = System.clearProperty("aws.accessKeyId");
        secretKey = System.clearProperty("aws.secretAccessKey");
    }

    @AfterEach
    void restoreCredentials() {
        restore("aws.accessKeyId", accessKey);
        restore("aws.secretAccessKey", secretKey);
    }

    @Test
    void doesNothingWithoutTheProfileOrTheFlag() {
        environment.setProperty("ferry.sandbox.enabled", "false");
        int sources = environment.getPropertySources().size();

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(launches).isEmpty();
        assertThat(environment.getPropertySources().size()).isEqualTo(sources);
        assertThat(environment.getProperty("ferry.aws.endpoint")).isNull();
        assertThat(System.getProperty("aws.accessKeyId")).isNull();
    }

    @Test
    void doesNothingWhenAnEndpointIsConfigured() {
        environment.setActiveProfiles("sandbox");
        environment.setProperty("ferry.aws.endpoint", "http://localhost:5000");
        int sources = environment.getPropertySources().size();

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(launches).isEmpty();
        assertThat(environment.getPropertySources().size()).isEqualTo(sources);
        assertThat(environment.getProperty("ferry.aws.endpoint")).isEqualTo("http://localhost:5000");
        assertThat(System.getProperty("aws.accessKeyId")).isNull();
    }

    @Test
    void doesNothingWhenTheStandardAwsEndpointVariableIsSet() {
        environment.setProperty("ferry.sandbox.enabled", "true");
        environment.setProperty("AWS_ENDPOINT_URL", "http://localhost:4566");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(launches).isEmpty();
    }

    @Test
    void theProfileStartsAnEmulatorAndPointsFerryAtIt() {
        environment.setActiveProfiles("sandbox");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(launches)
                .containsExactly(Path.of(".ferry/moto").toAbsolutePath().normalize());
        assertThat(environment.getProperty("ferry.aws.endpoint")).isEqualTo("http://127.0.0.1:4566");
        assertThat(environment.getProperty("ferry.aws.region")).isEqualTo("us-east-1");
        assertThat(System.getProperty("aws.accessKeyId")).isEqualTo("sandbox");
        assertThat(System.getProperty("aws.secretAccessKey")).isEqualTo("sandbox");
        assertThat(postProcessor.started().endpoint()).hasPort(4566);
    }

    @Test
    void theFlagWorksAloneAndConfiguredSettingsWin() {
        environment.setProperty("ferry.sandbox.enabled", "true");
        environment.setProperty("ferry.sandbox.home", "/tmp/elsewhere");
        environment.setProperty("ferry.aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "mine");
        System.setProperty("aws.secretAccessKey", "mine");

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(launches).containsExactly(Path.of("/tmp/elsewhere"));
        assertThat(environment.getProperty("ferry.aws.region")).isEqualTo("eu-west-1");
        assertThat(System.getProperty("aws.accessKeyId")).isEqualTo("mine");
    }

    @Test
    void aMissingPythonIsAClearErrorThatNamesTheSetting(@TempDir Path home) {
        environment.setActiveProfiles("sandbox");
        environment.setProperty("ferry.sandbox.home", home.resolve("moto").toString());
        environment.setProperty(
                "ferry.sandbox.python", home.resolve("no-such-python").toString());
        SandboxEnvironment real =
                new SandboxEnvironment(destination -> LogFactory.getLog(SandboxEnvironmentTest.class));

        assertThatThrownBy(() -> real.postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOf(SandboxStartupException.class)
                .hasMessageContaining("ferry.sandbox.python")
                .hasMessageContaining("ferry.aws.endpoint");
        assertThat(real.started()).isNull();
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    private record FakeEmulator(URI endpoint) implements RunningEmulator {
        @Override
        public void close() {}
    }
}
