package dev.ferry.stream;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Event streams ({@code ferry.streams.*}), of jobs and of campaigns.
 *
 * @param poll how often new events are looked for while anyone listens (nothing is read otherwise)
 * @param heartbeat how often an idle stream gets a comment line, so proxies keep it open and
 *     clients notice a dead one
 * @param maxDuration how long one stream lives before the client reconnects with Last-Event-ID
 *     (bounds what a forgotten tab holds)
 * @param maxSubscribers streams one replica serves at once, all callers together; more are refused
 *     with 503
 * @param maxPerSubject streams one caller (the authenticated subject) may hold open on one replica
 *     at once; more are refused with 429, so one viewer cannot take the replica's streams
 * @param maxReplay events one connection replays after its {@code Last-Event-ID} (or {@code ?after=});
 *     past that it sends {@code replay-truncated} with the position reached and ends, and the
 *     client reconnects from there
 */
@ConfigurationProperties("ferry.streams")
public record StreamProperties(
        @DefaultValue("PT0.2S") Duration poll,
        @DefaultValue("PT15S") Duration heartbeat,
        @DefaultValue("PT30M") Duration maxDuration,
        @DefaultValue("500") int maxSubscribers,
        @DefaultValue("4") int maxPerSubject,
        @DefaultValue("1000") int maxReplay) {

    public StreamProperties {
        if (maxSubscribers < 1 || maxPerSubject < 1 || maxReplay < 1) {
            throw new IllegalArgumentException(
                    "ferry.streams.max-subscribers, max-per-subject and max-replay must be at least 1");
        }
    }
}
