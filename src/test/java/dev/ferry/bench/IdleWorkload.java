package dev.ferry.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.execution.JdbcStepQueue;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Issue #8's idle scale: thousands of jobs waiting for people and timers must cost (almost)
 * nothing: heap, CPU, statements per second, and a claim query whose cost does not grow with them.
 */
final class IdleWorkload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IdleWorkload() {}

    /** How many jobs of each waiting kind, and how many never started (for the polling mix). */
    record Mix(int awaitingApproval, int waitingOnTimer, int waitingStep, int created) {

        static Mix of(int waiting) {
            int approval = waiting / 2;
            int timer = waiting / 4;
            return new Mix(approval, timer, waiting - approval - timer, waiting / 20);
        }

        int waiting() {
            return awaitingApproval + waitingOnTimer + waitingStep;
        }
    }

    record ClaimPlan(
            int waitingJobs,
            double executionMillis,
            long sharedBuffers,
            List<String> nodes,
            boolean usesIndex,
            JsonNode plan) {}

    record Result(
            int waitingJobs,
            double settleSeconds,
            long liveHeapBytes,
            long rssBytes,
            double idleSeconds,
            double cpuSeconds,
            double cpuPercentOfOneCore,
            long statements,
            double statementsPerSecond,
            long commits,
            List<Map<String, Object>> topStatements,
            ClaimPlan claimBefore,
            ClaimPlan claimAfter) {}

    /** Creates and starts the waiting jobs (and the never-started ones); all ids, for polling. */
    static List<String> populate(BenchClient client, BenchDatabase database, Mix mix) {
        List<String> approval =
                client.createJobs("bench-waiting-approval", "waiting-approval", mix.awaitingApproval(), 8);
        List<String> timer = client.createJobs("bench-waiting-timer", "waiting-timer", mix.waitingOnTimer(), 8);
        List<String> step = client.createJobs("bench-waiting-step", "waiting-step", mix.waitingStep(), 8);
        List<String> created = client.createJobs("bench-waiting-approval", "never-started", mix.created(), 8);
        List<String> started = new ArrayList<>(approval);
        started.addAll(timer);
        started.addAll(step);
        client.start(started, 8);
        try {
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> settled(database, mix));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "waiting jobs did not settle as " + mix + ": "
                            + database.jdbc()
                                    .queryForList(
                                            "SELECT p.name, j.state, count(*) FROM migration_job j JOIN plan p ON p.id = j.plan_id "
                                                    + "GROUP BY 1, 2 ORDER BY 1, 2"),
                    e);
        }
        List<String> all = new ArrayList<>(started);
        all.addAll(created);
        return all;
    }

    private static boolean settled(BenchDatabase database, Mix mix) {
        Map<String, Object> counts = database.jdbc()
                .queryForMap(
                        """
                SELECT count(*) FILTER (WHERE j.state = 'AWAITING_APPROVAL' AND p.name = 'bench-waiting-approval') AS approval,
                       count(*) FILTER (WHERE j.state = 'WAITING' AND p.name = 'bench-waiting-timer') AS timer,
                       count(*) FILTER (WHERE j.state = 'RUNNING' AND p.name = 'bench-waiting-step'
                                          AND EXISTS (SELECT 1 FROM step_execution s WHERE s.job_id = j.id
                                                        AND s.next_run_at > now() + interval '10 minutes')) AS step
                  FROM migration_job j JOIN plan p ON p.id = j.plan_id
                """);
        return ((Number) counts.get("approval")).intValue() == mix.awaitingApproval()
                && ((Number) counts.get("timer")).intValue() == mix.waitingOnTimer()
                && ((Number) counts.get("step")).intValue() == mix.waitingStep();
    }

    /** Heap, RSS, CPU and statements while nothing is due, over {@code window}. */
    static Result measure(
            BenchDatabase database,
            ProcessStats stats,
            int waiting,
            Duration settle,
            Duration window,
            ClaimPlan before) {
        EngineWorkload.pause(settle);
        long liveHeap = stats.liveHeap();
        long rss = stats.rss();
        database.resetStatements();
        long commitsBefore = database.commits();
        double cpuBefore = stats.cpuSeconds();
        long begin = System.nanoTime();
        EngineWorkload.pause(window);
        double cpu = stats.cpuSeconds() - cpuBefore;
        double seconds = (System.nanoTime() - begin) / 1e9;
        long statements = database.statements();
        long commits = database.commits() - commitsBefore;
        return new Result(
                waiting,
                settle.toSeconds(),
                liveHeap,
                rss,
                seconds,
                cpu,
                100 * cpu / seconds,
                statements,
                statements / seconds,
                commits,
                database.topStatements(8),
                before,
                claimPlan(database, waiting));
    }

    /** The worker's claim query, explained with real execution in a transaction that is rolled back. */
    static ClaimPlan claimPlan(BenchDatabase database, int waiting) {
        var coordinates = database.coordinates();
        try (Connection connection =
                DriverManager.getConnection(coordinates.url(), coordinates.username(), coordinates.password())) {
            connection.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement explain =
                    connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + JdbcStepQueue.CLAIM)) {
                explain.setTimestamp(1, now);
                explain.setInt(2, 8);
                explain.setString(3, "bench-explain");
                explain.setTimestamp(4, Timestamp.from(Instant.now().plusSeconds(300)));
                try (ResultSet rows = explain.executeQuery()) {
                    rows.next();
                    JsonNode root = JSON.readTree(rows.getString(1)).get(0);
                    List<String> nodes = new ArrayList<>();
                    collect(root.get("Plan"), nodes);
                    boolean index = nodes.stream().anyMatch(n -> n.contains("Index"));
                    return new ClaimPlan(
                            waiting,
                            root.path("Execution Time").asDouble(),
                            root.get("Plan").path("Shared Hit Blocks").asLong()
                                    + root.get("Plan")
                                            .path("Shared Read Blocks")
                                            .asLong(),
                            nodes,
                            index,
                            root);
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(JsonNode plan, List<String> nodes) {
        String type = plan.path("Node Type").asText();
        String relation =
                plan.path("Index Name").asText(plan.path("Relation Name").asText(""));
        nodes.add(relation.isEmpty() ? type : type + " on " + relation);
        plan.path("Plans").forEach(child -> collect(child, nodes));
    }
}
