package dev.ferry.aws.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/** {@code aws.ec2.terminateInstances} against the emulator, read back through the SDK. */
class TerminateInstancesIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    TerminateInstancesAction action;

    private final Ec2Client ec2 = AwsEmulator.client(Ec2Client.builder());

    @Test
    void terminatesTheHelperInstanceAndReportsItsStates() {
        List<String> ids = launch(2);

        ActionResult result = new ActionDriver(action, "cleanup").run(with(ids), Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
        JsonNode instances = ((ActionResult.Succeeded) result).output().get("instances");
        for (String id : ids) {
            assertThat(instances.get(id).get("state").asText()).isEqualTo("terminated");
            assertThat(instances.get(id).get("previousState").asText()).isEqualTo("running");
            assertThat(state(id)).isEqualTo("terminated");
        }
    }

    @Test
    void alreadyTerminatedAndUnknownInstancesCountAsDoneWithoutAnotherTerminateCall() {
        List<String> ids = launch(1);
        ec2.terminateInstances(r -> r.instanceIds(ids));
        ObjectNode with = with(List.of(ids.get(0), "i-0123456789abcdef0"));

        ActionResult result = new ActionDriver(action, "cleanup").run(with, Duration.ofSeconds(10));

        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("instances").get(ids.get(0)).get("state").asText())
                .isEqualTo("terminated");
        assertThat(output.get("instances")
                        .get("i-0123456789abcdef0")
                        .get("state")
                        .asText())
                .isEqualTo("not-found");
        assertThat(output.get("awsCalls").findValuesAsText("operation")).doesNotContain("TerminateInstances");
    }

    @Test
    void aRetryAfterALostResultSucceedsWithTheOriginalStates() {
        List<String> ids = launch(1);
        ActionDriver driver = new ActionDriver(action, "cleanup");
        driver.call(with(ids));
        ObjectNode captured = driver.progress();
        driver.call(with(ids));

        ActionResult again = driver.restoredProgress(captured).nextAttempt().run(with(ids), Duration.ofSeconds(10));

        JsonNode instance =
                ((ActionResult.Succeeded) again).output().get("instances").get(ids.get(0));
        assertThat(instance.get("previousState").asText()).isEqualTo("running");
        assertThat(instance.get("state").asText()).isEqualTo("terminated");
    }

    @Test
    void aProtectedInstanceFailsWithoutRetry() {
        List<String> ids = launch(1);
        ec2.modifyInstanceAttribute(r -> r.instanceId(ids.get(0)).disableApiTermination(b -> b.value(true)));

        ActionResult result = new ActionDriver(action, "cleanup").run(with(ids), Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(state(ids.get(0))).isEqualTo("running");
    }

    @Test
    void describesItselfAsIrreversible() {
        assertThat(action.describe(with(List.of("i-0123456789abcdef0"))))
                .startsWith("IRREVERSIBLE")
                .contains("i-0123456789abcdef0");
        assertThat(action.compensable()).isFalse();
    }

    private List<String> launch(int count) {
        return ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(count).maxCount(count)).instances().stream()
                .map(Instance::instanceId)
                .toList();
    }

    private String state(String id) {
        return ec2.describeInstances(r -> r.instanceIds(id))
                .reservations()
                .get(0)
                .instances()
                .get(0)
                .state()
                .nameAsString();
    }

    private static ObjectNode with(List<String> ids) {
        ObjectNode with = JSON.createObjectNode().put("pollInterval", "PT0.05S");
        ids.forEach(with.putArray("instanceIds")::add);
        return with;
    }
}
