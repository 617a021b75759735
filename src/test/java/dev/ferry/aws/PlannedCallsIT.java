package dev.ferry.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * What the handlers declare before a run is what a run does: the AWS calls recorded while a step
 * (and its compensation) runs against the emulator are, in order, the calls it planned, with the
 * services named as the SDK names them. And their read-only preflight checks find what exists and
 * what does not.
 */
class PlannedCallsIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ActionRegistry actions;

    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void disableRuleAndItsCompensation() {
        AwsEmulator.client(EventBridgeClient.builder()).putRule(r -> r.name("etl-" + id)
                .scheduleExpression("rate(30 minutes)")
                .state(RuleState.ENABLED));
        ObjectNode with = JSON.createObjectNode().put("name", "etl-" + id);
        ActionHandler handler = handler("aws.events.disableRule");
        Run run = run(handler, with);

        assertThat(run.calls()).isEqualTo(operations(handler.plannedCalls(with)));
        assertThat(handler.plannedCalls(with).get(2).iamActions()).containsExactly("events:DisableRule");
        assertThat(compensationCalls(handler, with, run.output()))
                .isEqualTo(operations(handler.plannedCompensationCalls(with)));
        assertThat(handler.preflight(with)).singleElement().satisfies(f -> assertThat(f.severity())
                .isEqualTo(PreflightFinding.Severity.OK));
    }

    @Test
    void putParameterOfAnExistingParameter() {
        String name = "/planned/" + id + "/mode";
        AwsEmulator.client(SsmClient.builder())
                .putParameter(r -> r.name(name).value("old").type("String"));
        ObjectNode with = JSON.createObjectNode().put("name", name).put("value", "new");
        ActionHandler handler = handler("aws.ssm.putParameter");

        assertThat(run(handler, with).calls()).isEqualTo(operations(handler.plannedCalls(with)));
    }

    @Test
    void upsertRecordThenTheWeightedSwitchOfAMissingRecordIsBlocking() {
        Route53Client route53 = AwsEmulator.client(Route53Client.builder());
        String domain = "planned" + id + ".example.com";
        String zone = route53.createHostedZone(r -> r.name(domain).callerReference(domain))
                .hostedZone()
                .id();
        ObjectNode with = JSON.createObjectNode()
                .put("hostedZoneId", zone)
                .put("name", "api." + domain)
                .put("type", "CNAME")
                .put("ttl", 60);
        with.putArray("values").add("new.example.net");
        ActionHandler upsert = handler("aws.route53.upsertRecord");

        assertThat(upsert.preflight(with)).singleElement().satisfies(f -> assertThat(f.reason())
                .contains("will be created"));
        assertThat(run(upsert, with).calls()).isEqualTo(operations(upsert.plannedCalls(with)));
        assertThat(upsert.plannedCalls(with).get(1).iamActions()).containsExactly("route53:ChangeResourceRecordSets");

        ObjectNode weights = JSON.createObjectNode()
                .put("hostedZoneId", zone)
                .put("name", "api." + domain)
                .put("type", "CNAME");
        weights.putObject("weights").put("legacy", 90).put("new", 10);
        assertThat(handler("aws.route53.setWeights").preflight(weights))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(PreflightFinding.Severity.BLOCKING);
                    assertThat(f.reason()).contains("with set identifier legacy, new");
                });
    }

    @Test
    void putSecretValue() {
        String secret = "planned-" + id;
        AwsEmulator.client(SecretsManagerClient.builder())
                .createSecret(r -> r.name(secret).secretString("old"));
        ObjectNode with = JSON.createObjectNode().put("secretId", secret).put("secretString", "new");
        ActionHandler handler = handler("aws.secretsmanager.putSecretValue");

        assertThat(run(handler, with).calls()).isEqualTo(operations(handler.plannedCalls(with)));
        assertThat(handler.preflight(JSON.createObjectNode().put("secretId", "no-such-" + id)))
                .singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(PreflightFinding.Severity.BLOCKING));
    }

    @Test
    void terminateInstancesChecksItsPermissionWithADryRun() {
        String instance = AwsEmulator.client(Ec2Client.builder())
                .runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1))
                .instances()
                .get(0)
                .instanceId();
        ObjectNode with = JSON.createObjectNode();
        with.putArray("instanceIds").add(instance);
        with.put("pollInterval", "PT0.2S");
        ActionHandler handler = handler("aws.ec2.terminateInstances");

        assertThat(handler.preflight(with)).anySatisfy(f -> {
            assertThat(f.check()).isEqualTo("permission");
            assertThat(f.severity()).isEqualTo(PreflightFinding.Severity.OK);
            assertThat(f.reason()).contains("dry run");
        });
        assertThat(run(handler, with).calls()).isEqualTo(operations(handler.plannedCalls(with)));
    }

    @Test
    void alarmStateFindsAMissingAlarm() {
        String alarm = "planned-" + id;
        AwsEmulator.client(CloudWatchClient.builder()).putMetricAlarm(r -> r.alarmName(alarm)
                .namespace("Ferry/Test")
                .metricName("m")
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(1)
                .threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        ObjectNode with = JSON.createObjectNode();
        with.putArray("alarmNames").add(alarm).add("missing-" + id);
        ActionHandler handler = handler("aws.cloudwatch.alarmState");

        assertThat(handler.preflight(with))
                .filteredOn(f -> f.severity() == PreflightFinding.Severity.BLOCKING)
                .singleElement()
                .satisfies(f -> assertThat(f.subject()).isEqualTo("cloudwatch:alarm:missing-" + id));
        ObjectNode present = JSON.createObjectNode();
        present.putArray("alarmNames").add(alarm);
        assertThat(run(handler, present).calls()).isEqualTo(operations(handler.plannedCalls(present)));
    }

    private ActionHandler handler(String name) {
        return actions.find(name).orElseThrow();
    }

    private record Run(List<String> calls, JsonNode output) {}

    /** Runs the step to the end; its output lists the calls of every poll of the attempt. */
    private static Run run(ActionHandler handler, JsonNode with) {
        ActionDriver driver = new ActionDriver(handler, "step");
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ActionResult result = driver.call(with);
            if (result instanceof ActionResult.InProgress more) {
                pause(more.pollAfter());
                continue;
            }
            assertThat(result).as(result.toString()).isInstanceOf(ActionResult.Succeeded.class);
            JsonNode output = ((ActionResult.Succeeded) result).output();
            collect(output.path("awsCalls"), calls);
            return new Run(calls, output);
        }
        throw new AssertionError("still in progress");
    }

    private static List<String> compensationCalls(ActionHandler handler, JsonNode with, JsonNode output) {
        ActionResult result = new ActionDriver(handler, "step").compensate(with, output);
        assertThat(result).as(result.toString()).isInstanceOf(ActionResult.Succeeded.class);
        List<String> calls = new ArrayList<>();
        collect(((ActionResult.Succeeded) result).output().path("awsCalls"), calls);
        return calls;
    }

    private static void collect(JsonNode recorded, List<String> calls) {
        recorded.forEach(c ->
                calls.add(c.path("service").asText() + ":" + c.path("operation").asText()));
    }

    private static List<String> operations(List<PlannedCall> planned) {
        return planned.stream().map(c -> c.service() + ":" + c.operation()).toList();
    }

    private static void pause(Duration delay) {
        Awaitility.await()
                .pollDelay(delay.isZero() ? Duration.ofMillis(1) : delay)
                .atMost(delay.plusSeconds(1))
                .until(() -> true);
    }
}
