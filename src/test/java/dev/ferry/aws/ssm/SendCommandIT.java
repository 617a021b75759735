package dev.ferry.aws.ssm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;

/**
 * {@code aws.ssm.sendCommand} against the emulator. Moto runs no script: every invocation reports
 * Success with exit code 0 and empty output at once, so the failure verdict is checked on
 * {@link CommandInvocations#judge} with invocations as SSM reports them for a failed script.
 */
class SendCommandIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    SendCommandAction action;

    private final SsmClient ssm = AwsEmulator.client(SsmClient.builder());
    private final Ec2Client ec2 = AwsEmulator.client(Ec2Client.builder());
    private String instance;

    @BeforeEach
    void helperInstance() {
        instance = ec2.runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1))
                .instances()
                .get(0)
                .instanceId();
    }

    @Test
    void runsTheScriptAndReportsEachInstance() {
        ActionDriver driver = new ActionDriver(action, "rsync");

        ActionResult result = driver.run(with(), Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("instances").get(instance).get("status").asText()).isEqualTo("Success");
        assertThat(output.get("instances").get(instance).get("responseCode").asInt())
                .isZero();
        Command sent = ssm.listCommands(r -> r.commandId(output.get("commandId").asText()))
                .commands()
                .get(0);
        assertThat(sent.documentName()).isEqualTo("AWS-RunShellScript");
        assertThat(sent.parameters().get("commands")).containsExactly("rsync -a /mnt/efs-old/ /mnt/efs-new/");
        assertThat(sent.comment()).isEqualTo(SendCommandAction.marker(driver.idempotencyToken()));
    }

    @Test
    void aCrashBeforeTheCommandIdWasStoredFindsTheCommandInsteadOfSendingAgain() {
        ActionDriver driver = new ActionDriver(action, "rsync");
        assertThat(driver.call(with())).isInstanceOf(ActionResult.InProgress.class);
        String sent = driver.progress().get("memo").get("commandId").asText();

        ActionResult again =
                driver.restoredProgress(JSON.createObjectNode()).nextAttempt().run(with(), Duration.ofSeconds(10));

        assertThat(((ActionResult.Succeeded) again).output().get("commandId").asText())
                .isEqualTo(sent);
        assertThat(ssm.listCommands(r -> r.instanceId(instance)).commands().stream()
                        .filter(c -> SendCommandAction.marker(driver.idempotencyToken())
                                .equals(c.comment())))
                .hasSize(1);
    }

    @Test
    void aRetryWithTheCommandIdInTheMemoPollsItWithoutSending() {
        ActionDriver driver = new ActionDriver(action, "rsync");
        driver.call(with());

        ActionResult again = driver.nextAttempt().run(with(), Duration.ofSeconds(10));

        assertThat(((ActionResult.Succeeded) again).output().get("awsCalls").findValuesAsText("operation"))
                .containsOnly("GetCommandInvocation");
    }

    @Test
    void aFailedScriptFailsWithoutRetryAndShowsTheEndOfItsOutput() {
        String stderr = "x".repeat(5_000) + "rsync: connection unexpectedly closed";
        ActionResult result = CommandInvocations.judge(
                "cmd-1", Map.of(instance, new CommandInvocations.Outcome("Failed", 23, "partial", stderr)));

        ActionResult.Failed failed = (ActionResult.Failed) result;
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.code()).isEqualTo("CommandFailed");
        assertThat(failed.message()).contains(instance, "Failed", "exit 23");
        String excerpt =
                failed.detail().get("instances").get(instance).get("stderr").asText();
        assertThat(excerpt).hasSize(CommandInvocations.EXCERPT + 1).endsWith("connection unexpectedly closed");
    }

    private ObjectNode with() {
        ObjectNode with = JSON.createObjectNode().put("pollInterval", "PT0.05S");
        with.putArray("instanceIds").add(instance);
        with.putArray("commands").add("rsync -a /mnt/efs-old/ /mnt/efs-new/");
        return with;
    }
}
