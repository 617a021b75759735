package dev.ferry.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The engine's meters, read as Prometheus scrapes them, after real jobs went through. */
class MetricsIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              freeze:
                steps:
                  - {id: freeze, action: noop, compensate: {action: noop}}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
            """;

    @Test
    void jobsApprovalsAndRollbacksShowUpInPrometheus() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "metrics", PLAN);
        UUID done = Jobs.start(api, "alice", plan, Map.of());
        Jobs.awaitState(api, done, "AWAITING_APPROVAL");
        api.as("bob").post("/api/v1/jobs/" + done + "/phases/cutover/approve", null);
        Jobs.awaitState(api, done, "SUCCEEDED");
        UUID undone = Jobs.start(api, "alice", plan, Map.of());
        Jobs.awaitState(api, undone, "AWAITING_APPROVAL");
        api.as("alice").post("/api/v1/jobs/" + undone + "/rollback", Map.of("reason", "metrics"));
        Jobs.awaitState(api, undone, "ROLLED_BACK");

        String tags = "plan=" + plan;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String scrape = api.get("/actuator/prometheus").body();
            assertThat(value(scrape, "ferry_jobs", "state=SUCCEEDED," + tags)).isEqualTo(1);
            assertThat(value(scrape, "ferry_jobs", "state=ROLLED_BACK," + tags)).isEqualTo(1);
            assertThat(value(
                            scrape,
                            "ferry_step_duration_seconds_count",
                            "action=noop,outcome=succeeded,phase=CUTOVER," + tags))
                    .isEqualTo(1);
            assertThat(value(scrape, "ferry_phase_duration_seconds_count", "outcome=succeeded,phase=FREEZE," + tags))
                    .isEqualTo(2);
            assertThat(value(scrape, "ferry_phase_duration_seconds_count", "outcome=compensated,phase=FREEZE," + tags))
                    .isEqualTo(1);
            assertThat(value(scrape, "ferry_approval_wait_seconds_count", "phase=CUTOVER," + tags))
                    .isEqualTo(1);
            assertThat(value(scrape, "ferry_rollbacks_total", "trigger=operator"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape).contains("ferry_steps_ready{");
        });
    }

    /** The sum of the samples of {@code metric} whose labels include {@code labels} ("k=v,k=v"); -1 if none. */
    static double value(String scrape, String metric, String labels) {
        Map<String, String> wanted = new HashMap<>();
        for (String pair : labels.split(",")) {
            String[] kv = pair.split("=", 2);
            wanted.put(kv[0], kv[1].replace("\"", ""));
        }
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$")
                .matcher(scrape);
        double sum = -1;
        while (sample.find()) {
            Map<String, String> have = new HashMap<>();
            Matcher label = Pattern.compile("([a-zA-Z_]+)=\"([^\"]*)\"").matcher(sample.group(1));
            while (label.find()) {
                have.put(label.group(1), label.group(2));
            }
            if (have.entrySet().containsAll(wanted.entrySet())) {
                sum = Math.max(sum, 0) + Double.parseDouble(sample.group(2));
            }
        }
        return sum;
    }
}
