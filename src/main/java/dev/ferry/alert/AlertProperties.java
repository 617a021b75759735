package dev.ferry.alert;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Alert intake ({@code ferry.alerts.*}).
 *
 * <p>Who may send alerts is the security package's business: a bearer token with the
 * {@code alerter} role (SNS deliveries are verified by their signature instead).
 *
 * @param phases the phases in which an alert may roll a job back
 */
@ConfigurationProperties("ferry.alerts")
public record AlertProperties(@DefaultValue({"CUTOVER", "OBSERVE"}) List<String> phases) {}
