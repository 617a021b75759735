package dev.ferry.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.job.MigrationJob;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds the CloudEvents 1.0 (structured JSON) document of a notification. Its {@code id} is the
 * outbox row's, so it stays the same across retries and receivers can deduplicate on it; the
 * timeline position ({@code seq}) is in {@code data.seq} and the {@code ferryseq} extension, so a
 * receiver that missed something can read {@code GET /api/v1/jobs/{id}/events?after=seq}.
 */
final class CloudEvents {

    static final String SPEC_VERSION = "1.0";
    static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";

    private CloudEvents() {}

    static ObjectNode build(
            UUID id,
            NotificationKind kind,
            MigrationJob job,
            String plan,
            int planVersion,
            long seq,
            Instant at,
            JobEventDraft event,
            URI link) {
        ObjectNode data = JsonNodeFactory.instance
                .objectNode()
                .put("kind", kind.code())
                .put("jobId", job.id().toString())
                .put("jobName", job.name())
                .put("plan", plan)
                .put("planVersion", planVersion)
                .put("state", job.state().name())
                .put(
                        "phase",
                        event.phase() != null
                                ? event.phase().name()
                                : job.currentPhase() == null
                                        ? null
                                        : job.currentPhase().name())
                .put("step", event.stepId())
                .put("event", event.type().name())
                .put("seq", seq)
                .put("actor", event.actor())
                .put("reason", event.reason())
                .put(
                        "error",
                        kind == NotificationKind.JOB_PAUSED || kind == NotificationKind.GATE_BREACHED
                                ? job.lastError()
                                : null)
                .put("link", link == null ? null : link.toString());
        data.set(
                "detail",
                event.detail() == null
                        ? JsonNodeFactory.instance.objectNode()
                        : event.detail().deepCopy());
        ObjectNode cloudEvent = JsonNodeFactory.instance
                .objectNode()
                .put("specversion", SPEC_VERSION)
                .put("id", id.toString())
                .put("source", "/ferry/jobs/" + job.id())
                .put("type", kind.eventType())
                .put("subject", subject(job, event))
                .put("time", at.toString())
                .put("datacontenttype", "application/json")
                .put("ferryseq", seq);
        cloudEvent.set("data", data);
        return cloudEvent;
    }

    /** The phase or step the event is about, else the job. */
    private static String subject(MigrationJob job, JobEventDraft event) {
        if (event.stepId() != null) {
            return "steps/" + event.stepId();
        }
        if (event.phase() != null) {
            return "phases/" + event.phase().name();
        }
        return "jobs/" + job.id();
    }
}
