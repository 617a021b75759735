package dev.ferry.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #17 item 6 through HTTP: one caller cannot take a replica's event streams, and a
 * {@code Last-Event-ID} far back replays a bounded page per connection, which a client that
 * reconnects from the position it was given pages through without gaps or repeats.
 */
class StreamLimitsIT extends FerryIT {

    private static final Duration AT_MOST = Duration.ofSeconds(60);
    /** ferry.streams.max-per-subject and max-replay, left at their defaults. */
    private static final int PER_SUBJECT = 4;

    private static final int MAX_REPLAY = 1000;
    private static final String PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: one, action: noop}
            """;

    private final List<SseClient> open = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        open.forEach(SseClient::close);
    }

    @Test
    void oneCallerGetsItsStreamsAndNoMoreWhileOthersStillGetIn() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "stream-limits", PLAN);
        UUID job = Jobs.create(api, "alice", plan, Map.of());
        Api.Response campaign = api.as("alice")
                .post(
                        "/api/v1/campaigns",
                        Map.of(
                                "name",
                                "stream limits",
                                "plan",
                                plan,
                                "targets",
                                List.of(Map.of("name", "a")),
                                "waves",
                                List.of(Map.of("targets", List.of("a")))));
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        String campaignStream = "/api/v1/campaigns/" + campaign.json().get("id").asText() + "/events/stream";
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api hog = api.as("stream-hog-" + suffix, "viewer");
        Api other = api.as("stream-other-" + suffix, "viewer");
        String jobStream = "/api/v1/jobs/" + job + "/events/stream";
        double refusedBefore = refused("subject-limit");

        List<SseClient> hogs = new ArrayList<>();
        for (String path : List.of(jobStream, "/api/v1/events/stream", jobStream, campaignStream)) {
            SseClient stream = keep(SseClient.open(hog, path, null));
            assertThat(stream.status()).as(path).isEqualTo(200);
            assertThat(stream.next(AT_MOST).comment()).startsWith("ferry ");
            hogs.add(stream);
        }
        assertThat(hogs).hasSize(PER_SUBJECT);

        // One more, of any kind, is refused: 429 problem+json, with a time to retry after.
        for (String path : List.of("/api/v1/events/stream", jobStream, campaignStream)) {
            Api.Response refused = hog.header("Accept", "text/event-stream").get(path);
            assertThat(refused.status()).as(path).isEqualTo(429);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asText()).endsWith("/too-many-streams-for-subject");
            assertThat(refused.json().get("detail").asText())
                    .contains("stream-hog-" + suffix, "ferry.streams.max-per-subject");
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        }
        assertThat(refused("subject-limit")).isGreaterThanOrEqualTo(refusedBefore + 3);

        // Another caller is not affected.
        SseClient others = keep(SseClient.open(other, "/api/v1/events/stream", null));
        assertThat(others.status()).isEqualTo(200);

        // Once the hog closes one, its slot comes back (the replica notices at the next write).
        hogs.get(0).close();
        await().atMost(AT_MOST).until(() -> {
            SseClient again = keep(SseClient.open(hog, jobStream, null));
            return again.status() == 200;
        });
    }

    @Test
    void aJobStreamReplaysABoundedPageAndTheClientPagesOnWithLastEventId() {
        Api api = api();
        UUID job = Jobs.create(api, "alice", Jobs.registerPlan(api, "stream-replay", PLAN), Map.of());
        long last = appendEvents(job, 2 * MAX_REPLAY + 500);
        Api reader = api.as("stream-replayer-" + UUID.randomUUID(), "viewer");
        double truncatedBefore = counter("ferry_stream_replay_truncated_total");

        List<Long> seqs = new ArrayList<>();
        String lastEventId = null;
        int connections = 0;
        while (seqs.isEmpty() || seqs.get(seqs.size() - 1) < last) {
            connections++;
            assertThat(connections).as("connections needed").isLessThanOrEqualTo(3);
            try (SseClient stream = SseClient.open(reader, "/api/v1/jobs/" + job + "/events/stream", lastEventId)) {
                assertThat(stream.status()).isEqualTo(200);
                List<SseClient.Event> got = stream.until(
                        e -> "replay-truncated".equals(e.event())
                                || e.json().get("seq").asLong() == last,
                        AT_MOST);
                SseClient.Event end = got.get(got.size() - 1);
                List<SseClient.Event> events =
                        "replay-truncated".equals(end.event()) ? got.subList(0, got.size() - 1) : got;
                assertThat(events).hasSizeLessThanOrEqualTo(MAX_REPLAY);
                events.forEach(e -> seqs.add(e.json().get("seq").asLong()));
                if ("replay-truncated".equals(end.event())) {
                    assertThat(events).hasSize(MAX_REPLAY);
                    assertThat(end.id()).isEqualTo(events.get(events.size() - 1).id());
                    assertThat(end.json().get("lastEventId").asText()).isEqualTo(end.id());
                }
                lastEventId = end.id();
            }
        }
        assertThat(connections).isEqualTo(3);
        assertThat(seqs).hasSize((int) last);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("event %d", i).isEqualTo(i + 1L);
        }
        assertThat(counter("ferry_stream_replay_truncated_total")).isGreaterThanOrEqualTo(truncatedBefore + 2);
    }

    @Test
    void theAllJobsStreamFromTheStartOfTimeIsPagedAndDeliversEveryEventOnceInOrder() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "stream-replay-all", PLAN);
        UUID job = Jobs.create(api, "alice", plan, Map.of());
        long last = appendEvents(job, MAX_REPLAY + 500);
        Api reader = api.as("stream-wall-" + UUID.randomUUID(), "viewer");

        List<Long> seqs = new ArrayList<>();
        String lastEventId = "0-0"; // the whole history of every job
        int connections = 0;
        boolean done = false;
        while (!done) {
            connections++;
            try (SseClient stream = SseClient.open(reader, "/api/v1/events/stream?plan=" + plan, lastEventId)) {
                assertThat(stream.status()).isEqualTo(200);
                List<SseClient.Event> got = stream.until(
                        e -> "replay-truncated".equals(e.event())
                                || e.json().get("seq").asLong() == last,
                        AT_MOST);
                SseClient.Event end = got.get(got.size() - 1);
                done = !"replay-truncated".equals(end.event());
                List<SseClient.Event> events = done ? got : got.subList(0, got.size() - 1);
                // The filter sends only this plan's events, but every connection reads at most the bound.
                assertThat(events).hasSizeLessThanOrEqualTo(MAX_REPLAY);
                assertThat(events)
                        .allSatisfy(
                                e -> assertThat(e.json().get("jobId").asText()).isEqualTo(job.toString()));
                events.forEach(e -> seqs.add(e.json().get("seq").asLong()));
                lastEventId = end.id();
                assertThat(lastEventId).matches("[0-9]+-[0-9]+");
            }
        }
        assertThat(connections).as("the history is more than one page").isGreaterThan(1);
        assertThat(seqs).hasSize((int) last);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("event %d", i).isEqualTo(i + 1L);
        }
    }

    /** Appends {@code count} events to the job's chain (hashed and linked by the database) and gives its last seq. */
    private long appendEvents(UUID job, int count) {
        long head = jdbc.queryForObject("SELECT audit_head_seq FROM migration_job WHERE id = ?", Long.class, job);
        jdbc.update(
                """
                INSERT INTO job_event (job_id, seq, at, actor, type, reason)
                SELECT ?, s, now(), 'history', 'TIMER_CHANGED', 'event ' || s FROM generate_series(?, ?) s ORDER BY s""",
                job,
                head + 1,
                head + count);
        return head + count;
    }

    private SseClient keep(SseClient stream) {
        open.add(stream);
        return stream;
    }

    private double refused(String reason) {
        return counter("ferry_stream_refused_total\\{[^}]*reason=\"" + reason + "\"[^}]*\\}");
    }

    private double counter(String series) {
        String scrape = api().get("/actuator/prometheus").body();
        Matcher m = Pattern.compile("(?m)^" + series + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
