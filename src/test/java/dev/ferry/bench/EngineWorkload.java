package dev.ferry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.SseClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue #8's engine workload: N jobs of {@code bench-7x2} started together; a driver watching the
 * all-jobs event stream approves CUTOVER and CLEANUP as soon as a job waits for them.
 */
final class EngineWorkload {

    static final String PLAN = "bench-7x2";
    /** 14 step completions, 2 approvals, 7 phase completions. */
    static final int TRANSITIONS_PER_JOB = 23;

    /** A job event comes every few milliseconds while jobs run: this much silence is a stall. */
    static final Duration STALL = Duration.ofSeconds(60);

    private EngineWorkload() {}

    record Result(
            int jobs,
            int workers,
            double wallSeconds,
            double jobsPerSecond,
            long transitions,
            double transitionsPerSecond,
            Latencies approvalToFirstStep,
            Latencies approvalRequestToStepSeen,
            long peakRssBytes,
            long peakHeapBytes,
            long databaseGrowthBytes,
            long commits,
            double commitsPerTransition,
            long writingTransactions,
            double writingTransactionsPerTransition,
            double statementsPerTransition,
            double serviceCpuMillisPerTransition,
            double databaseCpuMillisPerTransition,
            Map<String, Object> approvalParts,
            List<Map<String, Object>> topStatements) {}

    static Result run(
            BenchClient client, BenchDatabase database, ProcessStats stats, int jobs, int workers, Duration timeout) {
        long sizeBefore = database.sizeBytes();
        List<String> ids = client.createJobs(PLAN, "engine-" + jobs, jobs, 8);
        Set<String> mine = new HashSet<>(ids);
        Map<String, Long> approvalSent = new ConcurrentHashMap<>();
        Map<String, Long> stepSeen = new ConcurrentHashMap<>();
        ExecutorService approvers = Executors.newFixedThreadPool(8);
        // An approval that fails (an unexpected status, or a request that never reached the service)
        // fails the run: swallowed, its job would wait for ever and the run end on its timeout.
        AtomicReference<RuntimeException> approvalFailed = new AtomicReference<>();
        int succeeded = 0;
        // Every job event the stream delivered, by its id: a stall says which waiting job's last
        // event the stream never sent (or the driver never acted on).
        Set<String> received = new HashSet<>();
        Set<String> approved = ConcurrentHashMap.newKeySet();
        long begin;
        long end;
        long commitsBefore;
        long transactionIdsBefore;
        double serviceCpu;
        double databaseCpu;
        try (SseClient stream = SseClient.open(client.viewer, "/api/v1/events/stream?plan=" + PLAN, null)) {
            stream.next(Duration.ofSeconds(10)); // the opening comment: the subscription is live
            database.resetStatements();
            commitsBefore = database.commits();
            transactionIdsBefore = database.nextTransactionId();
            serviceCpu = stats.cpuSeconds();
            databaseCpu = database.cpuSeconds();
            begin = System.nanoTime();
            Thread starter = new Thread(() -> client.start(ids, 8), "bench-starter");
            starter.start();
            long deadline = begin + timeout.toNanos();
            long lastJobEvent = begin;
            while (succeeded < jobs) {
                failIfAnApprovalFailed(approvalFailed);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(succeeded + " of " + jobs + " jobs succeeded within " + timeout);
                }
                if (System.nanoTime() - lastJobEvent > STALL.toNanos()) {
                    throw new IllegalStateException("no job event for " + STALL + " with " + succeeded + " of " + jobs
                            + " jobs succeeded; " + stalled(database, ids, received, approved));
                }
                SseClient.Event event;
                try {
                    event = stream.next(Duration.ofSeconds(60));
                } catch (AssertionError silence) {
                    failIfAnApprovalFailed(approvalFailed); // the cause, if it is that
                    throw silence;
                }
                if (event.data() == null) {
                    continue;
                }
                JsonNode data = event.json();
                String job = data.path("jobId").asText();
                if (!mine.contains(job)) {
                    continue;
                }
                lastJobEvent = System.nanoTime();
                received.add(event.id());
                String type = data.path("type").asText();
                String key = job + "/" + data.path("phase").asText();
                switch (type) {
                    case "PHASE_AWAITING_APPROVAL" -> approvers.execute(() -> {
                        approvalSent.put(key, System.nanoTime());
                        try {
                            client.approve(job, data.path("phase").asText());
                            approved.add(key);
                        } catch (RuntimeException e) {
                            System.err.println("Approval of " + key + " failed: " + e);
                            approvalFailed.compareAndSet(
                                    null, new IllegalStateException("approval of " + key + " failed", e));
                        }
                    });
                    case "STEP_STARTED" -> stepSeen.putIfAbsent(key, System.nanoTime());
                    case "JOB_SUCCEEDED" -> succeeded++;
                    case "JOB_FAILED",
                            "JOB_PAUSED",
                            "STEP_FAILED",
                            "STEP_ATTEMPT_FAILED" -> throw new IllegalStateException(
                            "benchmark job " + job + " went wrong: " + data);
                    default -> {}
                }
            }
            end = System.nanoTime();
            serviceCpu = stats.cpuSeconds() - serviceCpu;
            databaseCpu = database.cpuSeconds() - databaseCpu;
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            approvers.shutdown();
        }
        awaitTermination(approvers);
        failIfAnApprovalFailed(approvalFailed);
        sleepForStatistics();
        long commits = database.commits() - commitsBefore;
        long writing = database.nextTransactionId() - transactionIdsBefore;
        long statements = database.statements();
        long transitions = countTransitions(database, ids);
        double seconds = (end - begin) / 1e9;
        // Where the approval latency goes: the approval's own transaction, then commit to start.
        Map<String, Object> approvalParts = database.jdbc()
                .queryForMap(
                        """
                    WITH parts AS (
                      SELECT extract(epoch FROM pg_xact_commit_timestamp(a.xmin) - a.at) * 1000 AS approval_tx,
                             extract(epoch FROM s.at - pg_xact_commit_timestamp(a.xmin)) * 1000 AS commit_to_start
                        FROM job_event a
                        JOIN LATERAL (SELECT min(at) AS at FROM job_event s WHERE s.job_id = a.job_id
                                        AND s.phase = a.phase AND s.type = 'STEP_STARTED') s ON true
                       WHERE a.type = 'PHASE_APPROVED' AND a.job_id = ANY (?::uuid[]))
                    SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY approval_tx) AS tx_p50,
                           percentile_disc(0.99) WITHIN GROUP (ORDER BY approval_tx) AS tx_p99,
                           percentile_disc(0.5) WITHIN GROUP (ORDER BY commit_to_start) AS start_p50,
                           percentile_disc(0.99) WITHIN GROUP (ORDER BY commit_to_start) AS start_p99
                      FROM parts""",
                        (Object) ids.toArray(String[]::new));
        double[] clientSide = approvalSent.entrySet().stream()
                .filter(e -> stepSeen.containsKey(e.getKey()))
                .mapToDouble(e -> (stepSeen.get(e.getKey()) - e.getValue()) / 1e6)
                .toArray();
        return new Result(
                jobs,
                workers,
                seconds,
                jobs / seconds,
                transitions,
                transitions / seconds,
                Latencies.of(approvalToFirstStep(database, ids)),
                Latencies.of(clientSide),
                stats.peakRss(),
                stats.peakHeap(),
                database.sizeBytes() - sizeBefore,
                commits,
                (double) commits / transitions,
                writing,
                (double) writing / transitions,
                (double) statements / transitions,
                1000 * serviceCpu / transitions,
                1000 * databaseCpu / transitions,
                approvalParts,
                database.topStatements(60));
    }

    /** From each PHASE_APPROVED to the first STEP_STARTED of that phase, by the events' own times. */
    static double[] approvalToFirstStep(BenchDatabase database, List<String> ids) {
        return database
                .jdbc()
                .queryForList(
                        """
                SELECT extract(epoch FROM (first_step.at - approved.at)) * 1000 AS millis
                FROM job_event approved
                CROSS JOIN LATERAL (SELECT min(s.at) AS at FROM job_event s
                                    WHERE s.job_id = approved.job_id AND s.phase = approved.phase
                                      AND s.type = 'STEP_STARTED') first_step
                WHERE approved.type = 'PHASE_APPROVED' AND approved.job_id = ANY (?::uuid[])
                """,
                        Double.class,
                        (Object) ids.toArray(String[]::new))
                .stream()
                .mapToDouble(Double::doubleValue)
                .toArray();
    }

    /** Transitions as the issue counts them, from the stored timeline (not from the driver's view). */
    static long countTransitions(BenchDatabase database, List<String> ids) {
        return database.jdbc()
                .queryForObject(
                        """
                SELECT count(*) FROM job_event
                WHERE type IN ('STEP_SUCCEEDED', 'PHASE_APPROVED', 'PHASE_SUCCEEDED') AND job_id = ANY (?::uuid[])
                """,
                        Long.class,
                        (Object) ids.toArray(String[]::new));
    }

    /**
     * The unfinished jobs, each with its last stored event, whether the stream delivered it, and
     * whether an approval of its phase was answered.
     */
    static String stalled(BenchDatabase database, List<String> ids, Set<String> received, Set<String> approved) {
        List<String> lines = database.jdbc()
                .query(
                        """
                SELECT DISTINCT ON (e.job_id) e.job_id, j.state, e.type, e.phase, e.tx::text || '-' || e.id AS cursor,
                       e.at, pg_xact_commit_timestamp(e.xmin) AS committed
                  FROM job_event e JOIN migration_job j ON j.id = e.job_id
                 WHERE e.job_id = ANY (?::uuid[]) AND j.state <> 'SUCCEEDED'
                 ORDER BY e.job_id, e.seq DESC
                """,
                        (rs, row) -> rs.getString("job_id") + " " + rs.getString("state") + " last "
                                + rs.getString("type") + "/" + rs.getString("phase") + " at "
                                + rs.getString("cursor") + " ("
                                + rs.getTimestamp("at").toInstant() + ", committed "
                                + rs.getString("committed") + ") "
                                + (received.contains(rs.getString("cursor")) ? "received" : "NOT received")
                                + (approved.contains(rs.getString("job_id") + "/" + rs.getString("phase"))
                                        ? ", approval answered"
                                        : ""),
                        (Object) ids.toArray(String[]::new));
        return lines.size() + " jobs unfinished: " + String.join("; ", lines);
    }

    /** PostgreSQL publishes other sessions' counters at most once a second. */
    static void sleepForStatistics() {
        pause(Duration.ofMillis(1_200));
    }

    /** A benchmark's deliberate wait (settling, idle windows): nothing to poll for. */
    static void pause(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void failIfAnApprovalFailed(AtomicReference<RuntimeException> failure) {
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void awaitTermination(ExecutorService pool) {
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
