package dev.ferry.approval;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Parallel approvals are counted one after the other: one approval per person, one transition per quorum. */
class ConcurrentApprovalIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: first, action: noop}
              cutover:
                approval: {required: 2}
                steps:
                  - {id: switch, action: test.count}
            """;

    @Test
    void twentyParallelApprovalsBySameUserAreOneApproval() throws Exception {
        UUID id = awaitingJob();
        List<Integer> statuses = parallel(20, i -> api().as("bob")
                .post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "go " + i))
                .status());
        assertThat(statuses).containsOnly(200);
        assertThat(count("SELECT count(*) FROM approval WHERE job_id = ?", id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM job_event WHERE job_id = ? AND type = 'APPROVAL_RECORDED'", id))
                .isEqualTo(1);
        assertThat(Jobs.get(api(), id).get("state").asText()).isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void twentyParallelApproversWithQuorumTwoMakeExactlyOneTransition() throws Exception {
        UUID id = awaitingJob();
        List<Integer> statuses = parallel(20, i -> api().as("approver-" + i)
                .post("/api/v1/jobs/" + id + "/phases/cutover/approve", null)
                .status());
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(2);
        assertThat(statuses.stream().filter(s -> s == 409)).hasSize(18);
        assertThat(count("SELECT count(*) FROM job_event WHERE job_id = ? AND type = 'PHASE_APPROVED'", id))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM approval WHERE job_id = ?", id)).isEqualTo(2);
        awaitState(api(), id, "SUCCEEDED");
    }

    private UUID awaitingJob() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "parallel-approvals", PLAN);
        UUID id = Jobs.create(api, "alice", plan, Map.of());
        api.as("alice").post("/api/v1/jobs/" + id + "/start", null);
        awaitState(api, id, "AWAITING_APPROVAL");
        return id;
    }

    private int count(String sql, UUID id) {
        return jdbc.queryForObject(sql, Integer.class, id);
    }

    private static List<Integer> parallel(int n, IntFunction<Integer> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Integer>> calls = IntStream.range(0, n)
                    .<Callable<Integer>>mapToObj(i -> () -> request.apply(i))
                    .toList();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }
}
