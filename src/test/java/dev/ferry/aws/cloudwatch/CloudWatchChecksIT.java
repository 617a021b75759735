package dev.ferry.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** {@code aws.cloudwatch.alarmState} and {@code aws.cloudwatch.metricThreshold} against the emulator. */
class CloudWatchChecksIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    AlarmStateAction alarms;

    @Autowired
    MetricThresholdAction threshold;

    private final CloudWatchClient cloudWatch = AwsEmulator.client(CloudWatchClient.builder());
    private String id;

    @BeforeEach
    void names() {
        id = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void alarmsOkPassAndOneInAlarmFailsTheCheck() {
        alarm("calm-" + id, StateValue.OK);
        alarm("quiet-" + id, StateValue.INSUFFICIENT_DATA);
        ObjectNode with = JSON.createObjectNode();
        with.putArray("alarmNames").add("calm-" + id).add("quiet-" + id);
        JsonNode ok =
                ((ActionResult.Succeeded) new ActionDriver(alarms, "a").run(with, Duration.ofSeconds(5))).output();
        assertThat(ok.at("/alarms/calm-" + id + "/state").asText()).isEqualTo("OK");

        ActionResult.Failed strict = (ActionResult.Failed) new ActionDriver(alarms, "a")
                .run(with.deepCopy().put("failOnInsufficientData", true), Duration.ofSeconds(5));
        assertThat(strict.code()).isEqualTo("INSUFFICIENT_DATA");

        alarm("down-" + id, StateValue.ALARM);
        with.withArray("alarmNames").add("down-" + id);
        ActionResult.Failed failed =
                (ActionResult.Failed) new ActionDriver(alarms, "a").run(with, Duration.ofSeconds(5));
        assertThat(failed.code()).isEqualTo("ALARM");
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.detail().at("/alarms/down-" + id + "/state").asText()).isEqualTo("ALARM");
    }

    @Test
    void anUnknownAlarmIsNotTakenForACalmOne() {
        ObjectNode with = JSON.createObjectNode();
        with.putArray("alarmNames").add("missing-" + id);
        ActionResult.Failed failed =
                (ActionResult.Failed) new ActionDriver(alarms, "a").run(with, Duration.ofSeconds(5));
        assertThat(failed.code()).isEqualTo("ALARM_NOT_FOUND");
    }

    @Test
    void fiveHundredsAboveTheThresholdFailAndBelowPass() {
        Instant now = Instant.now();
        for (double count : new double[] {2, 3, 4}) {
            cloudWatch.putMetricData(
                    r -> r.namespace("AWS/ApplicationELB").metricData(m -> m.metricName("HTTPCode_Target_5XX_Count")
                            .timestamp(now.minusSeconds(20))
                            .dimensions(d -> d.name("LoadBalancer").value("app/" + id))
                            .value(count)));
        }
        ObjectNode with = JSON.createObjectNode()
                .put("namespace", "AWS/ApplicationELB")
                .put("metricName", "HTTPCode_Target_5XX_Count")
                .put("statistic", "Sum")
                .put("period", 300)
                .put("lookback", "PT5M")
                .put("greaterThan", 5);
        with.putObject("dimensions").put("LoadBalancer", "app/" + id);
        ActionResult.Failed failed =
                (ActionResult.Failed) new ActionDriver(threshold, "m").run(with, Duration.ofSeconds(5));
        assertThat(failed.code()).isEqualTo("THRESHOLD_BREACHED");
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.detail().at("/datapoints/0/value").asDouble()).isEqualTo(9.0);

        JsonNode ok = ((ActionResult.Succeeded) new ActionDriver(threshold, "m")
                        .run(with.deepCopy().put("greaterThan", 10), Duration.ofSeconds(5)))
                .output();
        assertThat(ok.get("breaches").asInt()).isZero();
        assertThat(ok.get("datapoints")).hasSize(1);
    }

    @Test
    void noDataFailsUnlessTreatedAsOk() {
        ObjectNode with = JSON.createObjectNode()
                .put("namespace", "Ferry/None")
                .put("metricName", "silent-" + id)
                .put("statistic", "Sum")
                .put("greaterThan", 5);
        ActionResult.Failed failed =
                (ActionResult.Failed) new ActionDriver(threshold, "m").run(with, Duration.ofSeconds(5));
        assertThat(failed.code()).isEqualTo("NO_DATA");
        assertThat(failed.retryable()).isFalse();
        JsonNode ok = ((ActionResult.Succeeded)
                        new ActionDriver(threshold, "m").run(with.put("treatMissingAs", "ok"), Duration.ofSeconds(5)))
                .output();
        assertThat(ok.get("noData").asBoolean()).isTrue();
    }

    private void alarm(String name, StateValue state) {
        cloudWatch.putMetricAlarm(r -> r.alarmName(name)
                .namespace("Ferry/Test")
                .metricName("m")
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(1)
                .threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        cloudWatch.setAlarmState(r -> r.alarmName(name).stateValue(state).stateReason("test"));
    }
}
