package dev.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.Api;
import dev.ferry.support.Jobs;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Three service processes on one PostgreSQL run 300 jobs together: the work spreads over all
 * three, every step runs exactly once, and an approval sent to replica A starts the phase on
 * whichever replica claims it first. Prints the split and the approval-to-start delays.
 */
class ScaleOutIT {

    private static final int JOBS = 300;
    private static final String PLAN =
            """
            name: scale-out
            phases:
              prepare:
                steps:
                  - {id: one, action: noop}
                  - {id: two, action: noop}
                  - {id: three, action: noop}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
                  - {id: verify, action: noop}
            """;

    @Test
    void threeReplicasShareThreeHundredJobsAndEveryStepRunsOnce() throws Exception {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        // The first replica migrates the schema; the other two start against it together.
        List<ServiceProcess> replicas = new ArrayList<>();
        try {
            replicas.add(ServiceProcess.Spec.of("scale-a", database).start());
            List<CompletableFuture<ServiceProcess>> others = List.of(
                    CompletableFuture.supplyAsync(
                            () -> ServiceProcess.Spec.of("scale-b", database).start()),
                    CompletableFuture.supplyAsync(
                            () -> ServiceProcess.Spec.of("scale-c", database).start()));
            for (CompletableFuture<ServiceProcess> other : others) {
                replicas.add(other.join());
            }
            Api a = replicas.get(0).api();
            Api admin = ServiceProcess.authenticated(a, "platform", "admin");
            assertThat(admin.post("/api/v1/plans", "application/yaml", PLAN).status())
                    .isIn(200, 201);

            Instant begin = Instant.now();
            List<UUID> jobs = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> creating = new ArrayList<>();
            for (int r = 0; r < replicas.size(); r++) {
                Api operator = ServiceProcess.authenticated(replicas.get(r).api(), "olivia", "operator", "viewer");
                creating.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < JOBS / 3; i++) {
                        jobs.add(Jobs.start(operator, "olivia", "scale-out", Map.of()));
                    }
                }));
            }
            creating.forEach(CompletableFuture::join);
            awaitAll(database, jobs, "AWAITING_APPROVAL", Duration.ofMinutes(5));

            // Every approval goes to replica A; the phase starts wherever a worker claims it.
            Api approver = ServiceProcess.authenticated(a, "arthur", "approver");
            for (UUID job : jobs) {
                assertThat(approver.post("/api/v1/jobs/" + job + "/phases/cutover/approve", Map.of())
                                .status())
                        .isEqualTo(200);
            }
            awaitAll(database, jobs, "SUCCEEDED", Duration.ofMinutes(5));
            Duration wall = Duration.between(begin, Instant.now());

            try (Connection c = DriverManager.getConnection(database.url(), database.username(), database.password());
                    Statement s = c.createStatement()) {
                Map<String, Integer> split = new TreeMap<>();
                try (ResultSet rs = s.executeQuery("SELECT detail->>'worker', count(*) FROM job_event"
                        + " WHERE type = 'STEP_STARTED' GROUP BY 1")) {
                    while (rs.next()) {
                        split.put(rs.getString(1), rs.getInt(2));
                    }
                }
                int steps = split.values().stream().mapToInt(Integer::intValue).sum();
                assertThat(steps).as("every step of every job started once").isEqualTo(JOBS * 5);
                // How the work splits depends on how fast each replica runs on a loaded machine: that
                // each took part is the claim, not a share (the split is printed).
                assertThat(split).as("work on all three replicas").hasSize(3);
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT job_id, step_id FROM job_event"
                        + " WHERE type = 'STEP_SUCCEEDED' GROUP BY job_id, step_id HAVING count(*) <> 1) twice")) {
                    rs.next();
                    assertThat(rs.getInt(1))
                            .as("steps that succeeded other than once")
                            .isZero();
                }
                List<Long> delays = new ArrayList<>();
                try (ResultSet rs = s.executeQuery(
                        """
                        SELECT extract(epoch FROM (started.at - approved.at)) * 1000
                          FROM job_event approved JOIN job_event started ON started.job_id = approved.job_id
                         WHERE approved.type = 'PHASE_APPROVED' AND started.type = 'STEP_STARTED'
                           AND started.step_id = 'switch'""")) {
                    while (rs.next()) {
                        delays.add(Math.round(rs.getDouble(1)));
                    }
                }
                Collections.sort(delays);
                assertThat(delays).hasSize(JOBS);
                System.out.printf(
                        "scale-out: %d jobs, %d steps in %d s on 3 replicas; steps per worker %s;"
                                + " approval on replica A to first CUTOVER step started: p50 %d ms, p95 %d ms, max %d ms;"
                                + " replicas ready in %s%n",
                        JOBS,
                        steps,
                        wall.toSeconds(),
                        split,
                        delays.get(delays.size() / 2),
                        delays.get(delays.size() * 95 / 100),
                        delays.get(delays.size() - 1),
                        replicas.stream()
                                .map(r -> r.startedIn().toMillis() + " ms")
                                .toList());
            }
        } finally {
            replicas.forEach(ServiceProcess::close);
        }
    }

    private static void awaitAll(TestDatabase.Coordinates database, List<UUID> jobs, String state, Duration atMost)
            throws Exception {
        try (Connection c = DriverManager.getConnection(database.url(), database.username(), database.password())) {
            Awaitility.await()
                    .atMost(atMost)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        try (Statement s = c.createStatement();
                                ResultSet rs = s.executeQuery(
                                        "SELECT count(*) FROM migration_job WHERE state = '" + state + "'")) {
                            rs.next();
                            return rs.getInt(1) == jobs.size();
                        }
                    });
        }
    }
}
