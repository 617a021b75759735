package dev.ferry.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Server-Sent Events of job timelines through the real HTTP stack: live, resumable, filtered, heartbeats. */
class EventStreamIT extends FerryIT {

    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final String PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: one, action: noop}
                  - {id: two, action: noop}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
            """;

    @Test
    void aJobStreamSendsTheWholeTimelineThenLiveEventsAndResumesFromLastEventId() {
        Api api = api();
        UUID id = Jobs.start(api, "alice", Jobs.registerPlan(api, "stream", PLAN), Map.of());
        Jobs.awaitState(api, id, "AWAITING_APPROVAL");
        try (SseClient stream = SseClient.open(api, "/api/v1/jobs/" + id + "/events/stream", null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            List<SseClient.Event> history =
                    stream.until(e -> e.json().get("type").asText().equals("JOB_AWAITING_APPROVAL"), AT_MOST);
            assertSequence(history, 1);
            assertThat(history.get(0).event()).isEqualTo("job-event");
            assertThat(history.get(0).json().get("jobId").asText()).isEqualTo(id.toString());

            // Live: the approval moves the job on, and the stream shows it without a new request.
            api.as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
            List<SseClient.Event> live =
                    stream.until(e -> e.json().get("type").asText().equals("JOB_SUCCEEDED"), AT_MOST);
            assertSequence(live, history.size() + 1);
            assertThat(live).extracting(e -> e.json().get("type").asText()).contains("PHASE_APPROVED");
        }
        JsonNode done = Jobs.get(api, id);
        long last = done.get("lastEventSeq").asLong();
        try (SseClient resumed = SseClient.open(api, "/api/v1/jobs/" + id + "/events/stream", "3")) {
            List<SseClient.Event> rest = resumed.until(e -> Long.parseLong(e.id()) == last, AT_MOST);
            assertSequence(rest, 4);
        }
    }

    @Test
    void theAllJobsStreamFiltersByPlanAndResumesWithoutGapsOrRepeats() {
        Api api = api();
        String watched = Jobs.registerPlan(api, "stream-watched", PLAN);
        String other = Jobs.registerPlan(api, "stream-other", PLAN);
        String lastId;
        UUID first;
        try (SseClient wall = SseClient.open(api, "/api/v1/events/stream?plan=" + watched, null)) {
            assertThat(wall.status()).isEqualTo(200);
            Jobs.start(api, "alice", other, Map.of());
            first = Jobs.start(api, "alice", watched, Map.of());
            List<SseClient.Event> seen =
                    wall.until(e -> e.json().get("type").asText().equals("JOB_AWAITING_APPROVAL"), AT_MOST);
            assertThat(seen).allSatisfy(e -> {
                assertThat(e.json().get("plan").asText()).isEqualTo(watched);
                assertThat(e.id()).matches("[0-9]+-[0-9]+");
            });
            assertSequence(seen, 1);
            lastId = seen.get(seen.size() - 1).id();
        }
        // Missed while disconnected: the approval and the rest of the job, plus a second job.
        api.as("bob").post("/api/v1/jobs/" + first + "/phases/cutover/approve", null);
        Jobs.awaitState(api, first, "SUCCEEDED");
        UUID second = Jobs.start(api, "alice", watched, Map.of());
        Jobs.awaitState(api, second, "AWAITING_APPROVAL");
        try (SseClient wall = SseClient.open(api, "/api/v1/events/stream?plan=" + watched, lastId)) {
            List<SseClient.Event> caughtUp = wall.until(
                    e -> e.json().get("jobId").asText().equals(second.toString())
                            && e.json().get("type").asText().equals("JOB_AWAITING_APPROVAL"),
                    AT_MOST);
            List<SseClient.Event> ofFirst = caughtUp.stream()
                    .filter(e -> e.json().get("jobId").asText().equals(first.toString()))
                    .toList();
            assertThat(ofFirst).isNotEmpty();
            assertThat(ofFirst.get(ofFirst.size() - 1).json().get("type").asText())
                    .isEqualTo("JOB_SUCCEEDED");
            long firstSeqAfterResume = ofFirst.get(0).json().get("seq").asLong();
            assertSequence(ofFirst, firstSeqAfterResume);
            assertThat(firstSeqAfterResume)
                    .as("resumes right after the last event seen")
                    .isEqualTo(Jobs.get(api, first).get("lastEventSeq").asLong() - ofFirst.size() + 1);
            assertSequence(
                    caughtUp.stream()
                            .filter(e -> e.json().get("jobId").asText().equals(second.toString()))
                            .toList(),
                    1);
        }
    }

    @Test
    void idleStreamsGetHeartbeatsAndBadPositionsAreRefused() {
        Api api = api();
        try (SseClient wall = SseClient.open(api, "/api/v1/events/stream?state=CANCELLED", null)) {
            SseClient.Event opened = wall.next(AT_MOST);
            assertThat(opened.comment()).isEqualTo("ferry event stream");
            SseClient.Event heartbeat = wall.next(Duration.ofSeconds(5));
            assertThat(heartbeat.comment()).startsWith("heartbeat");
        }
        Api.Response bad = api.header("Last-Event-ID", "../../etc").get("/api/v1/events/stream");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("type").asText()).endsWith("/invalid-stream-position");
        assertThat(api.get("/api/v1/jobs/" + UUID.randomUUID() + "/events/stream")
                        .status())
                .isEqualTo(404);
        assertThat(api.header("Last-Event-ID", "x")
                        .get("/api/v1/jobs/" + UUID.randomUUID() + "/events/stream")
                        .status())
                .isEqualTo(404);
    }

    /** Job events of one job, numbered from {@code from} without gaps. */
    private static void assertSequence(List<SseClient.Event> events, long from) {
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).json().get("seq").asLong())
                    .as("event %d", i)
                    .isEqualTo(from + i);
        }
    }
}
