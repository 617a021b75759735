package dev.ferry.job;

import static dev.ferry.support.Jobs.awaitState;
import static dev.ferry.support.Jobs.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The seeds' relative rollback criteria end to end against CloudWatch in the emulator: PREPARE
 * records the old system's error rate and latency, OBSERVE (written with phase-level checks)
 * compares the new system with them — error rate new > old + 0.5 percentage points, latency new >
 * old × 1.5 — and a breach rolls the job back with the measurements. Latency is an Average here:
 * the emulator computes no percentiles; against AWS the same plan says {@code extendedStatistic: p99}.
 */
class ObserveBaselineIT extends FerryIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: oldLb, type: string, required: true}
              - {name: newLb, type: string, required: true}
              - {name: watchFor, type: duration, default: PT2S}
            phases:
              prepare:
                steps:
                  - id: baseline
                    action: aws.cloudwatch.captureBaseline
                    with:
                      lookback: PT15M
                      measures:
                        errorRate:
                          namespace: AWS/ApplicationELB
                          metricName: HTTPCode_Target_5XX_Count
                          dimensions: {LoadBalancer: "${params.oldLb}"}
                          percentOf: {metricName: RequestCount}
                        latency:
                          {namespace: AWS/ApplicationELB, metricName: TargetResponseTime, statistic: Average,
                           dimensions: {LoadBalancer: "${params.oldLb}"}}
              cutover:
                steps:
                  - {id: switch, action: noop, compensate: {action: noop, with: {message: switch back}}}
              observe:
                duration: "${params.watchFor}"
                interval: PT0.3S
                onFailure: rollback
                checks:
                  - id: error-rate
                    action: aws.cloudwatch.compareToBaseline
                    with:
                      lookback: PT5M
                      measure:
                        namespace: AWS/ApplicationELB
                        metricName: HTTPCode_Target_5XX_Count
                        dimensions: {LoadBalancer: "${params.newLb}"}
                        percentOf: {metricName: RequestCount}
                      baseline: "${steps.baseline.output.errorRate}"
                      maxIncrease: 0.5
                  - id: latency
                    action: aws.cloudwatch.compareToBaseline
                    with:
                      lookback: PT5M
                      measure:
                        {namespace: AWS/ApplicationELB, metricName: TargetResponseTime, statistic: Average,
                         dimensions: {LoadBalancer: "${params.newLb}"}}
                      baseline: "${steps.baseline.output.latency}"
                      maxRatio: 1.5
                  - id: five-hundreds
                    action: aws.cloudwatch.metricThreshold
                    with:
                      {namespace: AWS/ApplicationELB, metricName: HTTPCode_Target_5XX_Count, statistic: Sum,
                       dimensions: {LoadBalancer: "${params.newLb}"}, period: 60, lookback: PT5M, greaterThan: 50}
              cleanup:
                steps:
                  - {id: done, action: test.count}
            """;

    private final CloudWatchClient cloudWatch = AwsEmulator.client(CloudWatchClient.builder());
    private String oldLb;
    private String newLb;

    @BeforeEach
    void oldSystemRanAtZeroPointFourPercentAnd800Milliseconds() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        oldLb = "app/old-" + id;
        newLb = "app/new-" + id;
        traffic(oldLb, 1000, 4, 0.8);
    }

    @Test
    void aNewSystemWithinTheBaselineGoesOnToCleanup() {
        traffic(newLb, 500, 3, 1.0); // 0.6 % <= 0.4 + 0.5; 1.0 s <= 0.8 × 1.5
        Api api = api();
        UUID id = start(api);
        JsonNode done = awaitState(api, id, "SUCCEEDED");

        JsonNode baseline = step(done, "baseline").get("output");
        assertThat(baseline.get("errorRate").asDouble()).isEqualTo(0.4);
        assertThat(baseline.get("latency").asDouble()).isEqualTo(0.8);
        // The gate's output (every measurement) is over the view's bound: the view links to it.
        assertThat(step(done, "observe-gate").get("links").get("output").asText())
                .isEqualTo("/api/v1/jobs/" + id + "/steps/observe-gate/output");
        JsonNode gate =
                api.get("/api/v1/jobs/" + id + "/steps/observe-gate/output").json();
        assertThat(gate.at("/checks/error-rate/success").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(gate.at("/checks/error-rate/last/measurements/current").asDouble())
                .isEqualTo(0.6);
        assertThat(gate.at("/checks/latency/last/measurements/ratioLimit").asDouble())
                .isCloseTo(1.2, Offset.offset(1e-9));
        assertThat(step(done, "done").get("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anErrorRateHalfAPointAboveTheBaselineRollsBack() {
        traffic(newLb, 500, 5, 0.9); // 1.0 % > 0.4 + 0.5
        JsonNode rolledBack = rolledBack();
        assertThat(rolledBack.at("/error/detail/check").asText()).isEqualTo("error-rate");
        JsonNode measured = rolledBack.at("/error/detail/counts/last");
        assertThat(measured.get("code").asText()).isEqualTo("BASELINE_EXCEEDED");
        assertThat(measured.at("/measurements/current").asDouble()).isEqualTo(1.0);
        assertThat(measured.at("/measurements/baseline").asDouble()).isEqualTo(0.4);
        assertThat(measured.at("/measurements/numeratorValue").asDouble()).isEqualTo(5);
    }

    @Test
    void latencyOneAndAHalfTimesTheBaselineRollsBack() {
        traffic(newLb, 500, 2, 1.3); // 1.3 s > 0.8 × 1.5
        JsonNode rolledBack = rolledBack();
        assertThat(rolledBack.at("/error/detail/check").asText()).isEqualTo("latency");
        assertThat(rolledBack
                        .at("/error/detail/counts/last/measurements/current")
                        .asDouble())
                .isEqualTo(1.3);
    }

    @Test
    void aMetricAboveItsThresholdRollsBack() {
        traffic(newLb, 100000, 60, 0.8); // 0.06 % is fine against the baseline, but 60 5xx > 50
        JsonNode rolledBack = rolledBack();
        assertThat(rolledBack.at("/error/detail/check").asText()).isEqualTo("five-hundreds");
        assertThat(rolledBack.at("/error/detail/counts/last/code").asText()).isEqualTo("THRESHOLD_BREACHED");
    }

    /** Runs the job against the traffic already recorded and returns the failed gate step after the rollback. */
    private JsonNode rolledBack() {
        Api api = api();
        UUID id = start(api);
        JsonNode job = awaitState(api, id, "ROLLED_BACK");
        assertThat(step(job, "switch").get("status").asText()).isEqualTo("COMPENSATED");
        JsonNode gate = step(job, "observe-gate");
        assertThat(gate.get("status").asText()).isEqualTo("FAILED");
        assertThat(gate.at("/error/code").asText()).isEqualTo("GATE_BREACHED");
        return gate;
    }

    private UUID start(Api api) {
        return Jobs.start(
                api,
                "alice",
                Jobs.registerPlan(api, "baseline", PLAN),
                Map.of("oldLb", oldLb, "newLb", newLb, "watchFor", "PT2S"));
    }

    /** A minute of load-balancer traffic, as CloudWatch would have it, a minute ago. */
    private void traffic(String loadBalancer, double requests, double errors, double latency) {
        Instant at = Instant.now().minusSeconds(60);
        cloudWatch.putMetricData(r -> r.namespace("AWS/ApplicationELB")
                .metricData(
                        m -> m.metricName("RequestCount")
                                .timestamp(at)
                                .value(requests)
                                .dimensions(d -> d.name("LoadBalancer").value(loadBalancer)),
                        m -> m.metricName("HTTPCode_Target_5XX_Count")
                                .timestamp(at)
                                .value(errors)
                                .dimensions(d -> d.name("LoadBalancer").value(loadBalancer)),
                        m -> m.metricName("TargetResponseTime")
                                .timestamp(at)
                                .value(latency)
                                .dimensions(d -> d.name("LoadBalancer").value(loadBalancer))));
    }
}
