package dev.ferry.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.Actor;
import dev.ferry.common.FerryException;
import dev.ferry.job.JobQueries;
import dev.ferry.lifecycle.JobState;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.rollback.RollbackCoordinator;
import dev.ferry.rollback.RollbackOutcome;
import java.io.IOException;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Alerting systems' rollback requests. A firing alert rolls back the jobs it matches that are in
 * a phase where alerts may do so (CUTOVER and OBSERVE by default); a repeat of the same incident
 * changes nothing and is recorded as a duplicate; a resolved alert triggers nothing. Every alert
 * is stored with what it did.
 */
@Service
public class AlertIntake {

    private static final Logger log = LoggerFactory.getLogger(AlertIntake.class);

    private final AlertMatching matching;
    private final SnsMessages sns;
    private final JobQueries jobs;
    private final RollbackCoordinator rollbacks;
    private final AlertProperties properties;
    private final PlanCatalog plans;
    private final FerryMetrics metrics;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    AlertIntake(
            AlertMatching matching,
            SnsMessages sns,
            JobQueries jobs,
            RollbackCoordinator rollbacks,
            AlertProperties properties,
            PlanCatalog plans,
            FerryMetrics metrics,
            JdbcTemplate jdbc,
            ObjectMapper json,
            Clock clock) {
        this.metrics = metrics;
        this.plans = plans;
        this.matching = matching;
        this.sns = sns;
        this.jobs = jobs;
        this.rollbacks = rollbacks;
        this.properties = properties;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * An Amazon SNS HTTP delivery: accepted only as {@link SnsMessages} decides (a listed topic, fresh,
     * not seen before, signed by SNS), then a subscription confirmation is confirmed, and a
     * CloudWatch alarm notification is an alert whose labels are the alarm name and its dimensions.
     * A refusal changes nothing, is counted in {@code ferry.alerts} ({@code REFUSED_*}) and logged.
     */
    public SnsResult receiveSns(String type, JsonNode message) {
        try {
            return acceptSns(type, message);
        } catch (SnsRefusedException refused) {
            metrics.alertHandled("sns", refused.outcome());
            log.warn(
                    "SNS delivery refused ({}): {} [topic {}, message {}]",
                    refused.problemType(),
                    loggable(refused.getMessage()),
                    loggable(message.path("TopicArn").asText()),
                    loggable(message.path("MessageId").asText()));
            throw refused;
        }
    }

    /** Anyone can send these fields: one log line each, of bounded length, whatever they contain. */
    private static String loggable(String untrusted) {
        String line = untrusted == null ? "" : untrusted.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }

    private SnsResult acceptSns(String type, JsonNode message) {
        sns.verify(message);
        if ("SubscriptionConfirmation".equals(type)) {
            URI url = sns.subscribeUrl(message);
            sns.remember(message);
            boolean confirmed = sns.confirm(url);
            return new SnsResult(
                    confirmed
                            ? "subscription confirmed"
                            : "subscription NOT confirmed: visit SubscribeURL "
                                    + "by hand or enable ferry.alerts.sns.confirm-subscriptions",
                    confirmed,
                    List.of());
        }
        if (!"Notification".equals(type)) {
            sns.remember(message);
            return new SnsResult("ignored " + type, false, List.of());
        }
        JsonNode alarm = read(message.path("Message").asText());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alarmName", alarm.path("AlarmName").asText());
        alarm.path("Trigger")
                .path("Dimensions")
                .forEach(
                        d -> labels.put(d.path("name").asText(), d.path("value").asText()));
        Alert alert = new Alert(
                "sns",
                alarm.path("AlarmArn").asText(message.path("MessageId").asText()),
                "ALARM".equals(alarm.path("NewStateValue").asText()),
                labels,
                labels.get("ferry_job_id"),
                message.path("Subject").asText(null),
                message);
        sns.remember(message);
        return new SnsResult("notification", false, List.of(receive(alert)));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw SnsRefusedException.malformed("Message is not a CloudWatch alarm notification (JSON)");
        }
    }

    /** What an SNS delivery did. */
    public record SnsResult(String handled, boolean confirmed, List<AlertReceipt> receipts) {}

    public AlertReceipt receive(Alert alert) {
        List<AlertOutcome> outcomes = new ArrayList<>();
        if (!alert.firing()) {
            outcomes.add(new AlertOutcome(null, AlertOutcome.Kind.IGNORED_RESOLVED, "resolved alerts trigger nothing"));
        } else {
            for (UUID job : matching.jobs(alert)) {
                outcomes.add(rollBack(job, alert));
            }
            if (outcomes.isEmpty()) {
                outcomes.add(new AlertOutcome(
                        null,
                        AlertOutcome.Kind.MATCHED_NOTHING,
                        "no unfinished job is named by ferry_job_id or declares alertMatchers these labels satisfy"));
            }
        }
        return store(alert, outcomes);
    }

    private AlertOutcome rollBack(UUID jobId, Alert alert) {
        Actor actor = new Actor(alert.source(), Set.of());
        try {
            var where = jobs.read(jobId, s -> new Object[] {
                s.job().state(), s.job().currentPhase(), s.job().planId()
            });
            JobState state = (JobState) where[0];
            boolean underWay = state == JobState.ROLLING_BACK || state == JobState.ROLLED_BACK;
            if (!underWay) {
                String refusal = ineligible((Phase) where[1], (UUID) where[2]);
                if (refusal != null) {
                    return new AlertOutcome(jobId.toString(), AlertOutcome.Kind.NOT_ELIGIBLE, refusal);
                }
            }
            RollbackOutcome outcome = rollbacks.request(
                    jobId,
                    actor,
                    "alert " + alert.fingerprint() + ": " + (alert.summary() == null ? "firing" : alert.summary()),
                    "alert");
            return new AlertOutcome(
                    jobId.toString(),
                    outcome.duplicate() ? AlertOutcome.Kind.DUPLICATE : AlertOutcome.Kind.ROLLED_BACK,
                    "job is " + outcome.state());
        } catch (FerryException refused) {
            return new AlertOutcome(
                    jobId.toString(),
                    refused.status() == 404 ? AlertOutcome.Kind.MATCHED_NOTHING : AlertOutcome.Kind.NOT_ELIGIBLE,
                    refused.getMessage());
        }
    }

    /**
     * Why an alert may not roll back a job now, or null if it may: the plan's {@code alertRollback}
     * for the phase decides, else the service-wide {@code ferry.alerts.phases}.
     */
    private String ineligible(Phase phase, UUID planId) {
        if (phase == null) {
            return "job has not started a phase yet";
        }
        Boolean declared = plans.findById(planId)
                .map(p -> p.document().phase(phase).alertRollback())
                .orElse(null);
        if (declared != null) {
            return declared ? null : "the plan sets alertRollback: false for phase " + phase;
        }
        return properties.phases().contains(phase.name())
                ? null
                : "job is in phase " + phase + "; alerts roll back only in " + properties.phases()
                        + " unless the plan sets alertRollback for the phase";
    }

    private AlertReceipt store(Alert alert, List<AlertOutcome> outcomes) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        try {
            jdbc.update(
                    "INSERT INTO alert_receipt (id, source, fingerprint, status, received_at, summary, outcomes, payload) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)",
                    id,
                    alert.source(),
                    alert.fingerprint(),
                    alert.firing() ? "firing" : "resolved",
                    Timestamp.from(now),
                    alert.summary(),
                    json.writeValueAsString(outcomes),
                    json.writeValueAsString(alert.payload()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        outcomes.forEach(outcome ->
                metrics.alertHandled(alert.source(), outcome.outcome().name()));
        return new AlertReceipt(
                id, alert.source(), alert.fingerprint(), alert.firing() ? "firing" : "resolved", now, outcomes);
    }

    /** What one alert did, as stored and as answered to the sender. */
    public record AlertReceipt(
            UUID receiptId,
            String source,
            String fingerprint,
            String status,
            Instant receivedAt,
            List<AlertOutcome> outcomes) {}
}
