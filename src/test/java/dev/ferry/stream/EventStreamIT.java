package dev.ferry.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.SseClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Server-Sent Events of job timelines through the real HTTP stack: live, resumable, filtered, heartbeats. */
class EventStreamIT extends FerryIT {

    @Autowired
    DataSource dataSource;

    @Autowired
    EventStreams streams;

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

    /**
     * The benchmark's stalls (issue #15): a stream opened without {@code Last-Event-ID} gets every
     * event committed after it answered, also while the shared read is still finding its place.
     * Here that read waits on a lock held by the transaction that then appends an event; the stream
     * used to take its place after that event and never send it.
     */
    @Test
    void aStreamOpenedWithoutPositionGetsEveryEventCommittedAfterItAnswered() throws Exception {
        Api api = api();
        String plan = Jobs.registerPlan(api, "stream-opening", PLAN);
        UUID job = Jobs.create(api, "alice", plan, Map.of());
        // No other stream open (a closed one counts until its next heartbeat fails), so the shared
        // read starts afresh for this one.
        await().atMost(AT_MOST).until(() -> streams.openStreams() == 0);
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE job_event IN ACCESS EXCLUSIVE MODE");
            }
            try (SseClient wall = SseClient.open(api, "/api/v1/events/stream?plan=" + plan, null)) {
                assertThat(wall.next(AT_MOST).comment()).isEqualTo("ferry event stream");
                await().atMost(AT_MOST)
                        .until(() -> jdbc.queryForObject(
                                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                                + " AND query LIKE '%FROM job_event e%pg_snapshot_xmin%'",
                                        Integer.class)
                                > 0);
                try (Statement statement = holder.createStatement()) {
                    statement.execute("INSERT INTO job_event (job_id, seq, at, actor, type)"
                            + " SELECT id, audit_head_seq + 1, now(), 'writer', 'TIMER_CHANGED' FROM migration_job"
                            + " WHERE id = '" + job + "'");
                }
                holder.commit();
                SseClient.Event appended = wall.until(e -> true, AT_MOST).get(0);
                assertThat(appended.json().get("jobId").asText()).isEqualTo(job.toString());
                assertThat(appended.json().get("type").asText()).isEqualTo("TIMER_CHANGED");
            }
        }
    }

    /**
     * The bench's missing approval (issue #17): an event whose transaction took its id early and
     * commits after later ones must still reach a live all-jobs stream, once and in its job's
     * order. Eight writers append to their own job in transactions that hold their xid for a
     * random while, so commit order keeps crossing the order of {@code tx}.
     */
    @Test
    void eventsCommittedOutOfTransactionOrderAllReachTheLiveStreamOnce() throws Exception {
        Api api = api();
        String plan = Jobs.registerPlan(api, "stream-commit-order", PLAN);
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(Jobs.create(api, "alice", plan, Map.of()));
        }
        Map<UUID, Long> before = heads(jobs);
        String from = jdbc.queryForObject(
                "SELECT tx::text || '-' || id FROM job_event ORDER BY tx DESC, id DESC LIMIT 1", String.class);
        int perJob = 25;
        try (SseClient wall = SseClient.open(api, "/api/v1/events/stream?plan=" + plan, from)) {
            assertThat(wall.status()).isEqualTo(200);
            ExecutorService writers = Executors.newFixedThreadPool(jobs.size());
            try {
                List<Future<?>> writing = new ArrayList<>();
                for (UUID job : jobs) {
                    writing.add(writers.submit(() -> {
                        appendSlowly(job, perJob);
                        return null;
                    }));
                }
                for (Future<?> future : writing) {
                    future.get();
                }
            } finally {
                writers.shutdown();
            }
            Map<UUID, Long> after = heads(jobs);
            long expected = (long) perJob * jobs.size();
            int[] seen = {0};
            List<SseClient.Event> events = wall.until(e -> ++seen[0] == expected, AT_MOST);
            Map<UUID, List<Long>> byJob = new HashMap<>();
            events.forEach(e -> byJob.computeIfAbsent(
                            UUID.fromString(e.json().get("jobId").asText()), j -> new ArrayList<>())
                    .add(e.json().get("seq").asLong()));
            assertThat(byJob.keySet()).containsExactlyInAnyOrderElementsOf(jobs);
            byJob.forEach((job, seqs) -> assertThat(seqs)
                    .as("job %s", job)
                    .isEqualTo(LongStream.rangeClosed(before.get(job) + 1, after.get(job))
                            .boxed()
                            .toList()));
        }
    }

    private Map<UUID, Long> heads(List<UUID> jobs) {
        Map<UUID, Long> heads = new HashMap<>();
        for (UUID job : jobs) {
            heads.put(
                    job, jdbc.queryForObject("SELECT audit_head_seq FROM migration_job WHERE id = ?", Long.class, job));
        }
        return heads;
    }

    /**
     * {@code count} events, each in a transaction that takes its xid, waits, inserts (taking the
     * event's id), waits again and commits, so neither xid nor id order is commit order.
     */
    private void appendSlowly(UUID job, int count) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_current_xact_id()");
                    statement.execute("SELECT pg_sleep(random() * 0.02)");
                    statement.execute("INSERT INTO job_event (job_id, seq, at, actor, type)"
                            + " SELECT id, audit_head_seq + 1, now(), 'writer', 'TIMER_CHANGED' FROM migration_job"
                            + " WHERE id = '" + job + "'");
                    statement.execute("SELECT pg_sleep(random() * 0.02)");
                }
                connection.commit();
            }
        }
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
