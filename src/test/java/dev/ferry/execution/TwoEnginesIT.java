package dev.ferry.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.Api;
import dev.ferry.support.CountingAction;
import dev.ferry.support.Engine;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two replicas on one database share the work, and no step runs twice. */
class TwoEnginesIT {

    private static final int JOBS = 50;

    @Test
    void fiftyJobsOnTwoEnginesRunEveryStepExactlyOnce() {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        try (Engine a = Engine.start(database, "ferry.worker.concurrency=3");
                Engine b = Engine.start(database, "ferry.worker.concurrency=3")) {
            String plan = Jobs.registerPlan(
                    a.api(),
                    "replicas",
                    """
                    name: %s
                    phases:
                      prepare:
                        steps:
                          - {id: one, action: test.count}
                      copy:
                        steps:
                          - {id: pause, action: wait, with: {duration: PT0.1S}}
                          - {id: two, action: test.count}
                      cleanup:
                        steps:
                          - {id: three, action: test.count}
                    """);
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                Api api = (i % 2 == 0 ? a : b).api();
                UUID id = Jobs.create(api, "alice", plan, Map.of());
                api.as("alice").post("/api/v1/jobs/" + id + "/start", null);
                ids.add(id);
            }
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> a.jdbc()
                                    .queryForObject(
                                            "SELECT count(*) FROM migration_job WHERE state = 'SUCCEEDED'",
                                            Integer.class)
                            == JOBS);
            for (UUID id : ids) {
                for (String step : List.of("one", "two", "three")) {
                    assertThat(CountingAction.count(id, step))
                            .as(id + "/" + step)
                            .isEqualTo(1);
                }
            }
            List<String> workers = a.jdbc()
                    .queryForList(
                            "SELECT DISTINCT detail->>'worker' FROM job_event WHERE type = 'STEP_STARTED'",
                            String.class);
            assertThat(workers).as("both replicas took work").hasSize(2);
            Integer starts = a.jdbc()
                    .queryForObject("SELECT count(*) FROM job_event WHERE type = 'STEP_STARTED'", Integer.class);
            assertThat(starts).isEqualTo(JOBS * 4);
        }
    }
}
