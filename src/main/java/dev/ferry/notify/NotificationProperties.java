package dev.ferry.notify;

import dev.ferry.common.net.AddressPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Notifications ({@code ferry.notifications.*}).
 *
 * @param jobLink the link messages carry, {@code {id}} replaced by the job id (a console page, or
 *     the API's job view); none when unset
 * @param targets global targets, every job's notifications go to them (filtered by their events)
 * @param delivery how the outbox is drained
 * @param allowPrivateNetworks let a job's own targets reach loopback and private addresses (see
 *     {@link #jobTargetPolicy()}); off in production
 */
@ConfigurationProperties("ferry.notifications")
public record NotificationProperties(
        String jobLink,
        @DefaultValue List<Global> targets,
        @DefaultValue Delivery delivery,
        boolean allowPrivateNetworks) {

    private static final String SETTING = "ferry.notifications.allow-private-networks";

    /** A global target: a {@link TargetSpec} with a name that keys its deliveries. */
    public record Global(String name, String type, String url, String topicArn, String secret, List<String> events) {}

    /**
     * @param enabled whether this replica delivers (rows are written either way)
     * @param maxAttempts attempts before a delivery is given up as FAILED
     * @param maxAge a delivery not sent this long after its event is given up too
     * @param initialBackoff the wait after the first failure; doubles each time, with jitter
     * @param maxBackoff the longest wait between attempts
     * @param timeout per attempt (connect and response)
     * @param claimTimeout how long a claimed delivery is ours; a replica that dies holding it loses it
     * @param fallbackPoll how often to look for due deliveries when nothing woke the worker
     * @param concurrency deliveries sent at once by this replica
     */
    public record Delivery(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("10") int maxAttempts,
            @DefaultValue("PT24H") Duration maxAge,
            @DefaultValue("PT2S") Duration initialBackoff,
            @DefaultValue("PT10M") Duration maxBackoff,
            @DefaultValue("PT10S") Duration timeout,
            @DefaultValue("PT1M") Duration claimTimeout,
            @DefaultValue("PT10S") Duration fallbackPoll,
            @DefaultValue("4") int concurrency) {}

    /**
     * Where a job's own webhook and Slack targets may be sent: anyone who may create a job chooses
     * them, so not into Ferry's own networks unless {@code allowPrivateNetworks}; never to the
     * cloud metadata or other link-local addresses.
     */
    public AddressPolicy jobTargetPolicy() {
        return new AddressPolicy(allowPrivateNetworks, allowPrivateNetworks, List.of(), SETTING, SETTING);
    }

    /** The job link for {@code jobId}, or null. */
    public URI link(UUID jobId) {
        return jobLink == null || jobLink.isBlank() ? null : URI.create(jobLink.replace("{id}", jobId.toString()));
    }
}
