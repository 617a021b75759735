package dev.ferry.job;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** OBSERVE gates against CloudWatch in the emulator: breach rolls back, a healthy window goes on, no data pauses. */
class ObserveGateIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: alarm, type: string, required: true}
              - {name: watchFor, type: duration, default: PT20S}
            phases:
              freeze:
                steps:
                  - {id: freeze, action: noop, compensate: {action: noop, with: {message: unfreeze}}}
              cutover:
                steps:
                  - {id: switch, action: noop, compensate: {action: noop, with: {message: switch back}}}
              observe:
                steps:
                  - id: watch
                    action: gate
                    onFailure: rollback
                    with:
                      duration: "${params.watchFor}"
                      interval: PT0.3S
                      checks:
                        - {id: errors, action: aws.cloudwatch.alarmState, with: {alarmNames: ["${params.alarm}"]}}
                        - id: latency
                          action: aws.cloudwatch.metricThreshold
                          inconclusiveLimit: 1000
                          with: {namespace: Ferry/Test, metricName: "p99-${params.alarm}", statistic: Average, period: 60, lookback: PT5M, greaterThan: 2}
              cleanup:
                steps:
                  - {id: done, action: test.count}
            """;

    private final CloudWatchClient cloudWatch = AwsEmulator.client(CloudWatchClient.builder());

    @Test
    void anAlarmDuringObserveRollsTheJobBackWithTheMeasurements() {
        String alarm = alarm();
        Api api = api();
        UUID id = Jobs.start(api, "alice", Jobs.registerPlan(api, "gate", PLAN), Map.of("alarm", alarm));
        await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING"
                .equals(step(Jobs.get(api, id), "watch").get("status").asText()));
        cloudWatch.setAlarmState(
                r -> r.alarmName(alarm).stateValue(StateValue.ALARM).stateReason("5xx above 5"));

        JsonNode rolledBack = awaitState(api, id, "ROLLED_BACK");
        JsonNode watch = step(rolledBack, "watch");
        assertThat(watch.get("status").asText()).isEqualTo("FAILED");
        assertThat(watch.at("/error/code").asText()).isEqualTo("GATE_BREACHED");
        assertThat(watch.at("/error/detail/check").asText()).isEqualTo("errors");
        assertThat(watch.at("/error/detail/counts/last/code").asText()).isEqualTo("ALARM");
        assertThat(step(rolledBack, "switch").get("status").asText()).isEqualTo("COMPENSATED");
        assertThat(step(rolledBack, "freeze").get("status").asText()).isEqualTo("COMPENSATED");
    }

    @Test
    void aHealthyWindowLeadsToCleanup() {
        Api api = api();
        UUID id = Jobs.start(
                api, "alice", Jobs.registerPlan(api, "gate-ok", PLAN), Map.of("alarm", alarm(), "watchFor", "PT1S"));
        JsonNode done = awaitState(api, id, "SUCCEEDED");
        assertThat(step(done, "watch").at("/output/rounds").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(step(done, "done").get("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void checksWithoutDataPauseForAPersonInsteadOfRollingBack() {
        Api api = api();
        String plan =
                Jobs.registerPlan(api, "gate-no-data", PLAN.replace("inconclusiveLimit: 1000", "inconclusiveLimit: 1"));
        UUID id = Jobs.start(api, "alice", plan, Map.of("alarm", alarm()));
        JsonNode paused = awaitState(api, id, "PAUSED");
        assertThat(step(paused, "watch").at("/error/code").asText()).isEqualTo("GATE_INCONCLUSIVE");
        assertThat(step(paused, "switch").get("status").asText()).isEqualTo("SUCCEEDED");
        api.as("alice").post("/api/v1/jobs/" + id + "/cancel", null);
    }

    private String alarm() {
        String name = "backend-5xx-" + UUID.randomUUID().toString().substring(0, 8);
        cloudWatch.putMetricAlarm(r -> r.alarmName(name)
                .namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count")
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(5)
                .threshold(5.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        cloudWatch.setAlarmState(
                r -> r.alarmName(name).stateValue(StateValue.OK).stateReason("healthy"));
        return name;
    }
}
