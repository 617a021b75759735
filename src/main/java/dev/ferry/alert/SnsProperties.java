package dev.ferry.alert;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Amazon SNS deliveries ({@code ferry.alerts.sns.*}).
 *
 * @param certUrlPattern where signing certificates (and subscription confirmations) may come
 *     from: Amazon SNS endpoints only, so a forged message cannot bring its own certificate
 * @param topics topic ARNs accepted; empty accepts any topic whose messages verify
 * @param confirmSubscriptions visit the SubscribeURL of a verified subscription confirmation
 */
@ConfigurationProperties("ferry.alerts.sns")
public record SnsProperties(
        @DefaultValue("^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.*") String certUrlPattern,
        List<String> topics,
        @DefaultValue("true") boolean confirmSubscriptions) {

    public SnsProperties {
        topics = topics == null ? List.of() : topics.stream().filter(t -> !t.isBlank()).toList();
    }
}
