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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/** {@code aws.ecs.registerTaskDefinitionRevision} against the emulator, read back through the SDK. */
class RegisterTaskDefinitionRevisionIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    RegisterTaskDefinitionRevisionAction action;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private String cluster;
    private String family;
    private String original;

    @BeforeEach
    void serviceOnTheOldFileSystem() {
        cluster = "revision-" + UUID.randomUUID().toString().substring(0, 8);
        family = cluster + "-backend";
        ecs.createCluster(r -> r.clusterName(cluster));
        original = ecs.registerTaskDefinition(r -> r.family(family)
                        .cpu("256")
                        .memory("512")
                        .containerDefinitions(c -> c.name("app")
                                .image("backend:1")
                                .memory(256)
                                .environment(env("DB_PATH", "/data/db"), env("MODE", "normal"))
                                .mountPoints(m -> m.sourceVolume("data").containerPath("/data")))
                        .volumes(v -> v.name("data").efsVolumeConfiguration(e -> e.fileSystemId("fs-0a1d")
                                .rootDirectory("/fluxion-data")))
                        .tags(t -> t.key("team").value("fluxion")))
                .taskDefinition()
                .taskDefinitionArn();
        ecs.createService(r -> r.cluster(cluster)
                .serviceName("backend")
                .taskDefinition(original)
                .desiredCount(0));
    }

    @Test
    void copiesTheServicesTaskDefinitionOntoTheNewFileSystemAndCompensationDeregistersIt() {
        ActionDriver driver = new ActionDriver(action, "new-revision");
        ObjectNode with = overrides();

        ActionResult result = driver.run(with, Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("previousTaskDefinitionArn").asText()).isEqualTo(original);
        assertThat(output.get("revision").asInt()).isEqualTo(2);
        assertThat(output.get("reused").asBoolean()).isFalse();
        DescribeTaskDefinitionResponse copy = ecs.describeTaskDefinition(
                r -> r.taskDefinition(output.get("taskDefinitionArn").asText()).include(TaskDefinitionField.TAGS));
        assertThat(copy.taskDefinition()
                        .volumes()
                        .get(0)
                        .efsVolumeConfiguration()
                        .fileSystemId())
                .isEqualTo("fs-0b2e");
        assertThat(copy.taskDefinition()
                        .volumes()
                        .get(0)
                        .efsVolumeConfiguration()
                        .rootDirectory())
                .isEqualTo("/fluxion-data");
        assertThat(copy.taskDefinition().containerDefinitions().get(0).environment())
                .containsExactly(env("DB_PATH", "/data/db"), env("MODE", "maintenance"), env("EFS_ENCRYPTED", "true"));
        assertThat(copy.taskDefinition().containerDefinitions().get(0).image()).isEqualTo("backend:1");
        assertThat(copy.taskDefinition().memory()).isEqualTo("512");
        assertThat(copy.tags())
                .anyMatch(t -> t.key().equals("team") && t.value().equals("fluxion"))
                .anyMatch(t -> t.key().equals("ferry:source") && t.value().equals(original));

        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(status(output.get("taskDefinitionArn").asText())).isEqualTo("INACTIVE");
        assertThat(status(original)).isEqualTo("ACTIVE");
        // Compensating twice (a retried rollback) is not an error.
        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
    }

    @Test
    void aRetryAfterALostResultReusesTheRevisionInsteadOfRegisteringAnother() {
        ActionDriver driver = new ActionDriver(action, "new-revision");
        ObjectNode with = overrides();
        assertThat(driver.call(with)).isInstanceOf(ActionResult.InProgress.class);
        ObjectNode captured = driver.progress();
        ActionResult lost = driver.call(with);
        String registered = ((ActionResult.Succeeded) lost)
                .output()
                .get("taskDefinitionArn")
                .asText();

        ActionResult again = driver.restoredProgress(captured).nextAttempt().run(with, Duration.ofSeconds(10));

        JsonNode output = ((ActionResult.Succeeded) again).output();
        assertThat(output.get("taskDefinitionArn").asText()).isEqualTo(registered);
        assertThat(output.get("reused").asBoolean()).isTrue();
        // The memo pinned revision 1 as the source, though revision 2 is now the family's latest.
        assertThat(output.get("previousTaskDefinitionArn").asText()).isEqualTo(original);
        assertThat(revisions()).hasSize(2);
    }

    @Test
    void differentOverridesMakeADifferentRevision() {
        new ActionDriver(action, "a").run(overrides(), Duration.ofSeconds(10));
        ObjectNode other = overrides();
        other.with("efsVolumes").put("data", "fs-0c3f");

        JsonNode output =
                ((ActionResult.Succeeded) new ActionDriver(action, "b").run(other, Duration.ofSeconds(10))).output();

        assertThat(output.get("reused").asBoolean()).isFalse();
        assertThat(output.get("revision").asInt()).isEqualTo(3);
    }

    @Test
    void copiesAFamilysLatestRevisionWithAnAccessPointOfTheNewFileSystem() {
        ObjectNode with = JSON.createObjectNode().put("taskDefinition", family);
        with.putObject("efsVolumes")
                .putObject("data")
                .put("fileSystemId", "fs-0b2e")
                .put("accessPointId", "fsap-0123");
        with.putObject("images").put("app", "backend:2");

        JsonNode output = ((ActionResult.Succeeded)
                        new ActionDriver(action, "by-family").run(with, Duration.ofSeconds(10)))
                .output();

        var copy = ecs.describeTaskDefinition(
                        r -> r.taskDefinition(output.get("taskDefinitionArn").asText()))
                .taskDefinition();
        assertThat(copy.volumes()
                        .get(0)
                        .efsVolumeConfiguration()
                        .authorizationConfig()
                        .accessPointId())
                .isEqualTo("fsap-0123");
        assertThat(copy.containerDefinitions().get(0).image()).isEqualTo("backend:2");
        assertThat(output.get("previousTaskDefinitionArn").asText()).isEqualTo(original);
    }

    @Test
    void anUnknownVolumeFailsWithoutRegisteringAnything() {
        ObjectNode with = JSON.createObjectNode().put("cluster", cluster).put("service", "backend");
        with.putObject("efsVolumes").put("uploads", "fs-0b2e");

        ActionResult result = new ActionDriver(action, "bad").run(with, Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).code()).isEqualTo("VolumeNotFound");
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(revisions()).hasSize(1);
    }

    @Test
    void describesTheOverrides() {
        assertThat(action.describe(overrides()))
                .contains("backend", "volume data on fs-0b2e", "environment of app", "deregisters");
    }

    private ObjectNode overrides() {
        ObjectNode with = JSON.createObjectNode().put("cluster", cluster).put("service", "backend");
        with.putObject("efsVolumes").put("data", "fs-0b2e");
        with.putObject("environment")
                .putObject("app")
                .put("MODE", "maintenance")
                .put("EFS_ENCRYPTED", "true");
        return with;
    }

    private List<String> revisions() {
        return ecs.listTaskDefinitions(r -> r.familyPrefix(family)).taskDefinitionArns();
    }

    private String status(String arn) {
        return ecs.describeTaskDefinition(r -> r.taskDefinition(arn))
                .taskDefinition()
                .statusAsString();
    }

    private static KeyValuePair env(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }
}
