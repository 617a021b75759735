package dev.ferry.aws.sandbox;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In sandbox mode with no emulator configured, starts a local moto server and points Ferry at it.
 *
 * <p>This runs before the application context exists, because {@code ferry.aws.endpoint} must be
 * known when the AWS client factory is built; a bean would be too late. Settings
 * ({@code ferry.sandbox.*}): {@code home} (moto's virtual environment, default
 * {@code ./.ferry/moto}), {@code python} (default {@code python3}) and {@code startup-timeout}
 * (default 60 s). The region comes from {@code ferry.aws.region}, {@code us-east-1} unless set.
 */
public class SandboxEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "ferry-sandbox";
    static final String DEFAULT_REGION = "us-east-1";
    // moto accepts any credentials; fixed values make the SDK's default chain succeed offline.
    static final String DUMMY_KEY = "sandbox";

    /** Starts an emulator; a seam so the decision logic is testable without Python. */
    interface Launcher {
        RunningEmulator launch(Path home, String python, Duration startupTimeout, Log log);
    }

    private final Log log;
    private final Launcher launcher;
    private RunningEmulator started;

    public SandboxEnvironment(DeferredLogFactory logs) {
        this(logs, MotoServer::start);
    }

    SandboxEnvironment(DeferredLogFactory logs, Launcher launcher) {
        this.log = logs.getLog(SandboxEnvironment.class);
        this.launcher = launcher;
    }

    @Override
    public int getOrder() {
        // After application.yml and profile documents are loaded: the profile and flag live there.
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!SandboxMode.isOn(environment)) {
            return;
        }
        Binder binder = Binder.get(environment);
        String configured = binder.bind("ferry.aws.endpoint", String.class).orElse(null);
        String fromAwsVariable = environment.getProperty("AWS_ENDPOINT_URL");
        if (hasText(configured) || hasText(fromAwsVariable)) {
            log.info("Sandbox mode: using the configured AWS endpoint "
                    + (hasText(configured) ? configured : fromAwsVariable) + "; not starting moto");
            return;
        }
        SandboxProperties sandbox = binder.bindOrCreate("ferry.sandbox", SandboxProperties.class);
        started = launcher.launch(
                sandbox.home().toAbsolutePath().normalize(), sandbox.python(), sandbox.startupTimeout(), log);
        URI endpoint = started.endpoint();

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("ferry.aws.endpoint", endpoint.toString());
        properties.put("ferry.aws.region", DEFAULT_REGION);
        // Last: anything the user configured (a region, say) still wins over these defaults.
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, properties));
        useDummyCredentials();
        log.info("Sandbox mode: AWS calls go to moto at " + endpoint);
    }

    /** The emulator this post-processor started, if any. */
    RunningEmulator started() {
        return started;
    }

    private void useDummyCredentials() {
        // System properties come first in the SDK's default chain, so real credentials from the
        // environment or ~/.aws are never sent, even to a local emulator.
        if (System.getProperty("aws.accessKeyId") == null && System.getProperty("aws.secretAccessKey") == null) {
            System.setProperty("aws.accessKeyId", DUMMY_KEY);
            System.setProperty("aws.secretAccessKey", DUMMY_KEY);
            log.info("Sandbox mode: using dummy AWS credentials");
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
