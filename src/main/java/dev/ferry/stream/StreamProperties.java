package dev.ferry.stream;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Event streams ({@code ferry.streams.*}).
 *
 * @param poll how often new events are looked for while anyone listens (nothing is read otherwise)
 * @param heartbeat how often an idle stream gets a comment line, so proxies keep it open and
 *     clients notice a dead one
 * @param maxDuration how long one stream lives before the client reconnects with Last-Event-ID
 *     (bounds what a forgotten tab holds)
 * @param maxSubscribers streams one replica serves at once; more are refused with 503
 */
@ConfigurationProperties("ferry.streams")
public record StreamProperties(
        @DefaultValue("PT0.2S") Duration poll,
        @DefaultValue("PT15S") Duration heartbeat,
        @DefaultValue("PT30M") Duration maxDuration,
        @DefaultValue("500") int maxSubscribers) {}
