package dev.ferry.aws.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;

/**
 * {@code aws.ecs.runTask} against the emulator. Moto runs no containers: a Fargate task starts
 * RUNNING and each DescribeTasks moves it one state on until STOPPED, and it reports only the
 * task definition's first container, always with exit code 0. So the failure path is exercised
 * with an essential container that reports no exit code (the second one); a non-zero exit code
 * cannot be produced there.
 */
class RunTaskIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    RunTaskAction action;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private String cluster;

    @BeforeEach
    void cluster() {
        cluster = "runtask-" + UUID.randomUUID().toString().substring(0, 8);
        ecs.createCluster(r -> r.clusterName(cluster));
        ecs.registerTaskDefinition(r -> r.family("migrate-" + cluster)
                .containerDefinitions(c -> c.name("pgcopy").image("postgres:16").memory(256)));
    }

    @Test
    void runsTheTaskUntilItStopsWithExitCodeZero() {
        ActionDriver driver = new ActionDriver(action, "pg-copy");

        ActionResult result = driver.run(with("migrate-" + cluster), Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("exitCodes").get("pgcopy").asInt()).isZero();
        List<String> tasks = tasksStartedBy(driver.idempotencyToken());
        assertThat(tasks).containsExactly(output.get("taskArn").asText());
        var task = ecs.describeTasks(r -> r.cluster(cluster).tasks(tasks.get(0)))
                .tasks()
                .get(0);
        assertThat(task.overrides().containerOverrides().get(0).command()).containsExactly("pg_dump", "--all");
    }

    @Test
    void aCrashBetweenRunTaskAndRecordingItFindsTheTaskInsteadOfStartingAnother() {
        ActionDriver driver = new ActionDriver(action, "pg-copy");
        ObjectNode with = with("migrate-" + cluster);
        assertThat(driver.call(with)).isInstanceOf(ActionResult.InProgress.class);
        String started = driver.progress().get("memo").get("taskArn").asText();

        // The worker died before the memo was stored: the step starts over with nothing.
        ActionResult again =
                driver.restoredProgress(JSON.createObjectNode()).nextAttempt().run(with, Duration.ofSeconds(10));

        assertThat(((ActionResult.Succeeded) again).output().get("taskArn").asText())
                .isEqualTo(started);
        assertThat(tasksStartedBy(driver.idempotencyToken())).containsExactly(started);
    }

    @Test
    void failsWithoutRetryWhenAnEssentialContainerReportsNoExitCode() {
        ecs.registerTaskDefinition(r -> r.family("rsync-" + cluster)
                .containerDefinitions(
                        c -> c.name("log-router").image("fluent-bit").memory(64).essential(false),
                        c -> c.name("rsync").image("rsync").memory(128)));

        ActionResult result = new ActionDriver(action, "rsync").run(with("rsync-" + cluster), Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        ActionResult.Failed failed = (ActionResult.Failed) result;
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.code()).isEqualTo("TaskFailed");
        assertThat(failed.message()).contains("essential container rsync reported no exit code");
        assertThat(failed.detail().get("exitCodes").has("log-router")).isFalse();
    }

    @Test
    void anUnknownTaskDefinitionFailsWithoutRetry() {
        ActionResult result = new ActionDriver(action, "pg-copy").run(with("nope-" + cluster), Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
    }

    @Test
    void keepsStartedByAndClientTokenWithinEcsLimits() {
        assertThat(RunTaskAction.startedBy("ferry-test-abc-step.one")).isEqualTo("ferry-test-abc-step-one");
        assertThat(RunTaskAction.clientToken("x".repeat(100))).hasSize(64);
        assertThat(RunTaskAction.clientToken("ferry-0123")).isEqualTo("ferry-0123");
    }

    private ObjectNode with(String taskDefinition) {
        ObjectNode with = JSON.createObjectNode()
                .put("cluster", cluster)
                .put("taskDefinition", taskDefinition)
                .put("launchType", "FARGATE")
                .put("pollInterval", "PT0.05S");
        with.putObject("overrides")
                .putObject("pgcopy")
                .putArray("command")
                .add("pg_dump")
                .add("--all");
        return with;
    }

    private List<String> tasksStartedBy(String token) {
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            arns.addAll(ecs.listTasks(r -> r.cluster(cluster)
                            .startedBy(RunTaskAction.startedBy(token))
                            .desiredStatus(status))
                    .taskArns());
        }
        return arns;
    }
}
