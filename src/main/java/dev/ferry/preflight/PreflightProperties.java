package dev.ferry.preflight;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Preflight settings ({@code ferry.preflight.*}).
 *
 * @param driftWait how long a preflight waits for a CloudFormation drift detection to finish before
 *     it reports the drift as unknown
 */
@ConfigurationProperties("ferry.preflight")
public record PreflightProperties(@DefaultValue("PT30S") Duration driftWait) {}
