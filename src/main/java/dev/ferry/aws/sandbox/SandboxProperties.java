package dev.ferry.aws.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sandbox settings ({@code ferry.sandbox.*}); also read before the context exists, by
 * {@link SandboxEnvironment}, to start the emulator.
 *
 * @param home moto's virtual environment, and where the ready-to-post job body is written
 * @param python the Python 3 that installs and runs moto
 * @param startupTimeout how long moto may take to answer after it was started
 */
@ConfigurationProperties("ferry.sandbox")
public record SandboxProperties(
        @DefaultValue("./.ferry/moto") Path home,
        @DefaultValue("python3") String python,
        @DefaultValue("PT60S") Duration startupTimeout) {}
