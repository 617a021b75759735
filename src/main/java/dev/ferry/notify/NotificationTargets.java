package dev.ferry.notify;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.common.net.AddressPolicy;
import dev.ferry.common.net.HostResolver;
import dev.ferry.job.SecretSealing;
import java.net.URI;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where a job's notifications go: the global targets from configuration (checked at start-up, a
 * bad one stops the service) plus the targets the job was created with (stored with their secrets,
 * never shown back).
 */
@Service
public class NotificationTargets {

    static final String JOB_KEY_PREFIX = "job:";

    private final List<NotificationTarget> global;
    private final AddressPolicy policy;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SecretSealing sealing;

    NotificationTargets(
            NotificationProperties properties, JdbcTemplate jdbc, Clock clock, ObjectProvider<SecretSealing> sealing) {
        this.policy = properties.jobTargetPolicy();
        this.sealing = sealing.getIfAvailable(() -> SecretSealing.NONE);
        this.global = globals(properties.targets());
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Checks targets given with a new job; throws {@link InvalidNotificationTargetException}, or
     * {@link dev.ferry.job.SecretKeyMissingException} for a secret target without a key. Changes nothing.
     */
    public List<NotificationTarget> validate(List<TargetSpec> specs) {
        if (specs.size() > TargetValidation.MAX_JOB_TARGETS) {
            throw new InvalidNotificationTargetException(
                    List.of("notifications: at most " + TargetValidation.MAX_JOB_TARGETS + " targets per job"));
        }
        List<NotificationTarget> targets = TargetValidation.validate("notifications", JOB_KEY_PREFIX, specs, null);
        // Before the address checks: without a key no secret target is accepted, whatever its address.
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).secret() != null || targets.get(i).type() == TargetType.SLACK) {
                sealing.requireKey("notifications[" + i + "] (a webhook secret or a Slack URL)");
            }
        }
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            String why = targets.get(i).url() == null
                    ? null
                    : policy.refusal(targets.get(i).url(), HostResolver.SYSTEM);
            if (why != null) {
                refused.add("notifications[" + i + "].url: " + why);
            }
        }
        if (!refused.isEmpty()) {
            throw new InvalidNotificationTargetException(refused);
        }
        return targets;
    }

    /**
     * Stores a job's own targets. The first set stored wins: a replayed create request (same
     * idempotency key) stores them if the first attempt did not get that far, and changes nothing
     * otherwise.
     */
    @Transactional
    public void attach(UUID jobId, List<NotificationTarget> targets) {
        Integer existing = jdbc.queryForObject(
                "SELECT count(*) FROM job_notification_target WHERE job_id = ?", Integer.class, jobId);
        if (targets.isEmpty() || existing != null && existing > 0) {
            return;
        }
        for (int i = 0; i < targets.size(); i++) {
            NotificationTarget t = targets.get(i);
            jdbc.update(
                    """
                    INSERT INTO job_notification_target (job_id, ordinal, type, url, topic_arn, secret, events, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?::text[], ?) ON CONFLICT DO NOTHING
                    """,
                    jobId,
                    i,
                    t.type().name(),
                    storedUrl(jobId, t),
                    t.topicArn(),
                    seal(jobId, t.secret()),
                    "{"
                            + String.join(
                                    ",",
                                    t.events().stream()
                                            .map(NotificationKind::code)
                                            .toList()) + "}",
                    Timestamp.from(clock.instant()));
        }
    }

    /** Every target of the job: global ones first, then its own. */
    public List<NotificationTarget> forJob(UUID jobId) {
        return Stream.concat(global.stream(), ownTargets(jobId).stream()).toList();
    }

    Optional<NotificationTarget> find(UUID jobId, String key) {
        if (key.startsWith(JOB_KEY_PREFIX)) {
            return ownTargets(jobId).stream().filter(t -> t.key().equals(key)).findFirst();
        }
        return global.stream().filter(t -> t.key().equals(key)).findFirst();
    }

    private List<NotificationTarget> ownTargets(UUID jobId) {
        return jdbc.query(
                """
                SELECT ordinal, type, url, topic_arn, secret, events FROM job_notification_target
                 WHERE job_id = ? ORDER BY ordinal
                """,
                (rs, i) -> new NotificationTarget(
                        JOB_KEY_PREFIX + rs.getInt("ordinal"),
                        TargetType.valueOf(rs.getString("type")),
                        rs.getString("url") == null ? null : URI.create(open(jobId, rs.getString("url"))),
                        rs.getString("topic_arn"),
                        open(jobId, rs.getString("secret")),
                        kinds(rs.getArray("events"))),
                jobId);
    }

    /** A Slack URL is the credential itself: sealed like a webhook secret. Other URLs are not secret. */
    private String storedUrl(UUID jobId, NotificationTarget target) {
        if (target.url() == null) {
            return null;
        }
        return target.type() == TargetType.SLACK
                ? seal(jobId, target.url().toString())
                : target.url().toString();
    }

    private String seal(UUID jobId, String secret) {
        return secret == null
                ? null
                : sealing.seal(jobId, TextNode.valueOf(secret)).asText();
    }

    private String open(UUID jobId, String stored) {
        return stored == null
                ? null
                : sealing.open(jobId, TextNode.valueOf(stored)).asText();
    }

    private static Set<NotificationKind> kinds(Array array) throws SQLException {
        Set<NotificationKind> kinds = EnumSet.noneOf(NotificationKind.class);
        for (Object code : (Object[]) array.getArray()) {
            NotificationKind.ofCode(String.valueOf(code)).ifPresent(kinds::add);
        }
        return kinds;
    }

    private static List<NotificationTarget> globals(List<NotificationProperties.Global> configured) {
        List<String> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < configured.size(); i++) {
            String name = configured.get(i).name();
            if (name == null || name.isBlank() || name.startsWith(JOB_KEY_PREFIX) || !names.add(name)) {
                errors.add("ferry.notifications.targets[" + i + "].name: a unique name is required (not job:...)");
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidNotificationTargetException(errors);
        }
        return TargetValidation.validate(
                "ferry.notifications.targets",
                "",
                configured.stream()
                        .map(g -> new TargetSpec(g.type(), g.url(), g.topicArn(), g.secret(), g.events()))
                        .toList(),
                configured.stream().map(NotificationProperties.Global::name).toList());
    }
}
