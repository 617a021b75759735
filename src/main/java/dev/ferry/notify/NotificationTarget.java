package dev.ferry.notify;

import java.net.URI;
import java.util.Set;

/**
 * One place notifications go: a global target from configuration (keyed by its name) or one a job
 * was created with (keyed {@code job:<n>}).
 *
 * @param events the kinds it wants; empty for all
 * @param secret the webhook's HMAC key (never logged, never shown)
 */
public record NotificationTarget(
        String key, TargetType type, URI url, String topicArn, String secret, Set<NotificationKind> events) {

    public NotificationTarget {
        events = Set.copyOf(events);
    }

    public boolean accepts(NotificationKind kind) {
        return events.isEmpty() || events.contains(kind);
    }

    /**
     * Where it points, safe to log and show: a webhook's scheme, host and port (paths and queries
     * may carry tokens), never a Slack URL (the whole URL is the credential), a topic ARN.
     */
    public String destination() {
        return switch (type) {
            case WEBHOOK -> url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
            case SLACK -> "slack incoming webhook";
            case SNS -> topicArn;
        };
    }

    @Override
    public String toString() {
        return key + " (" + type + " " + destination() + ")";
    }
}
