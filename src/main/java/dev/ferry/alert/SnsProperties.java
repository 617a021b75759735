package dev.ferry.alert;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Amazon SNS deliveries ({@code ferry.alerts.sns.*}). SNS sends no credential, so what Ferry
 * accepts is decided here: with no topics, nothing.
 *
 * @param topics topic ARNs accepted; empty refuses every SNS delivery and confirms no subscription
 * @param confirmSubscriptions visit the SubscribeURL of a verified confirmation for an accepted topic
 * @param maxAge a message whose {@code Timestamp} is older is refused (SNS retries for about an hour
 *     by default)
 * @param clockSkew how far in the future a {@code Timestamp} may be
 * @param allowSignatureVersion1 accept SHA1 signatures (SignatureVersion 1), which topics use unless
 *     set to version 2; off, only version 2 is accepted
 * @param certificateCacheSize signing certificates kept, by URL
 * @param certUrlPattern for tests only: a regular expression a normalised certificate or
 *     SubscribeURL may match instead of being an {@code https://sns.<region>.amazonaws.com[.cn]} one
 */
@ConfigurationProperties("ferry.alerts.sns")
public record SnsProperties(
        @DefaultValue List<String> topics,
        @DefaultValue("true") boolean confirmSubscriptions,
        @DefaultValue("PT1H") Duration maxAge,
        @DefaultValue("PT5M") Duration clockSkew,
        @DefaultValue("false") boolean allowSignatureVersion1,
        @DefaultValue("32") int certificateCacheSize,
        String certUrlPattern) {

    public SnsProperties {
        topics = topics == null
                ? List.of()
                : topics.stream().filter(t -> !t.isBlank()).toList();
    }
}
