package dev.ferry.alert;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Alert intake ({@code ferry.alerts.*}).
 *
 * @param token the bearer token alerting systems must send; with none configured, every alert is
 *     refused (an open rollback endpoint would be a denial-of-service button)
 * @param phases the phases in which an alert may roll a job back
 */
@ConfigurationProperties("ferry.alerts")
public record AlertProperties(String token, @DefaultValue({"CUTOVER", "OBSERVE"}) List<String> phases) {
}
