package dev.ferry.plan.builtin;

import static dev.ferry.plan.builtin.Operators.awaitState;
import static dev.ferry.support.Jobs.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.sandbox.FluxionEstate;
import dev.ferry.aws.sandbox.SandboxEstate;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.Volume;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The built-in {@code efs-encryption} plan against the seeded Fluxion estate (the sandbox's), run
 * through the HTTP API with its approvals and its 7-day cleanup moved by an operator, and rolled
 * back; the estate is read back through the SDK after each. moto runs no containers: its one-off
 * tasks (backup, rsync, checksums) stop with exit code 0, so the copy itself is not exercised here.
 */
class EfsEncryptionPlanIT extends FerryIT {

    @Autowired
    AwsClients clients;

    @Autowired
    AwsProperties properties;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private final EfsClient efs = AwsEmulator.client(EfsClient.builder());
    private final EventBridgeClient events = AwsEmulator.client(EventBridgeClient.builder());

    @Test
    void movesTheBackendToAnEncryptedFileSystemAndDeletesTheOldOneAWeekLater() {
        SandboxEstate estate = new FluxionEstate(clients, properties).seed();
        Api api = api();
        UUID id = Jobs.start(api, "alice", "efs-encryption", parameters(estate));
        // The team asks for another window: the announcement is declined and the job pauses with the
        // reason; once the new date is agreed the operator retries and the step asks again.
        Operators.awaitPerson(api, id, "announce-downtime");
        String decline = "/api/v1/jobs/" + id + "/steps/announce-downtime/decline";
        assertThat(api.as("vera", "viewer").post(decline, Map.of("note", "no")).status())
                .isEqualTo(403);
        assertThat(api.as("oscar", "operator")
                        .post(decline, Map.of("note", "support team asked for Sunday 03:00"))
                        .status())
                .isEqualTo(200);
        JsonNode paused = awaitState(api, id, "PAUSED");
        assertThat(step(paused, "announce-downtime").at("/error/code").asText()).isEqualTo("MANUAL_DECLINED");
        assertThat(step(paused, "backup").get("status").asText())
                .as("nothing after it ran")
                .isEqualTo("PENDING");
        assertThat(api.as("alice", "operator")
                        .post("/api/v1/jobs/" + id + "/retry", Map.of("reason", "window moved to Sunday 03:00"))
                        .status())
                .isEqualTo(200);
        Operators.awaitPerson(api, id, "announce-downtime");
        assertThat(api.as("alice", "operator")
                        .post(
                                "/api/v1/jobs/" + id + "/steps/announce-downtime/complete",
                                Map.of(
                                        "note",
                                        "posted",
                                        "evidence",
                                        Map.of("url", "https://chat.example.com/fluxion/p42")))
                        .status())
                .isEqualTo(200);

        awaitState(api, id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
        assertThat(step(Jobs.get(api, id), "verify-backup").at("/output/note").asText())
                .isEqualTo("checked, all as the runbook says");
        assertThat(desiredCount()).isZero();
        assertThat(ruleState("fluxion-inventario-sync-30min")).isEqualTo("DISABLED");
        api.as("bob", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "CHG-42"));
        api.as("carol", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);

        JsonNode waiting = awaitState(api, id, "WAITING", Duration.ofSeconds(90));
        assertThat(waiting.get("currentPhase").asText()).isEqualTo("CLEANUP");
        String newFileSystem =
                step(waiting, "new-fs").get("output").get("fileSystemId").asText();
        assertThat(fileSystem(newFileSystem).encrypted()).isTrue();
        assertThat(desiredCount()).isEqualTo(2);
        assertThat(backendVolume().efsVolumeConfiguration().fileSystemId()).isEqualTo(newFileSystem);
        assertThat(ruleState("fluxion-inventario-sync-30min")).isEqualTo("ENABLED");
        assertThat(Instant.parse(waiting.get("wakeAt").asText()))
                .isAfter(Instant.now().plus(Duration.ofDays(6)));

        api.as("alice")
                .post(
                        "/api/v1/jobs/" + id + "/phases/cleanup/not-before",
                        Map.of(
                                "at",
                                Instant.now().toString(),
                                "reason",
                                "new file system verified for a week in staging"));
        awaitState(api, id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
        api.as("bob", "approver").post("/api/v1/jobs/" + id + "/phases/cleanup/approve", null);
        JsonNode done = awaitState(api, id, "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(efs.describeFileSystems().fileSystems())
                .extracting(FileSystemDescription::fileSystemId)
                .doesNotContain(estate.fileSystemId())
                .contains(newFileSystem);
        assertThat(Operators.checklist(done))
                .doesNotContainValue(null)
                .containsEntry("announce-downtime", "alice")
                .containsKeys(
                        "schedule-window",
                        "rollback-ready",
                        "cdk-deploy",
                        "api-data",
                        "cloudfront-https",
                        "monitor-logs");
        List<String> timeline = new ArrayList<>();
        api.get("/api/v1/jobs/" + id + "/events?limit=1000").json().get("items").forEach(e -> {
            if ("announce-downtime".equals(e.path("step").asText())
                    && e.get("type").asText().startsWith("MANUAL_")) {
                timeline.add(e.get("type").asText() + " by " + e.get("actor").asText());
            }
        });
        assertThat(timeline).containsExactly("MANUAL_STEP_DECLINED by oscar", "MANUAL_STEP_COMPLETED by alice");
    }

    @Test
    void rollbackDuringCutoverApprovalRestoresTheEstate() {
        SandboxEstate estate = new FluxionEstate(clients, properties).seed();
        String volumeBefore = backendVolume().efsVolumeConfiguration().fileSystemId();
        Api api = api();
        UUID id = Jobs.start(api, "alice", "efs-encryption", parameters(estate));
        JsonNode awaiting = awaitState(api, id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
        String newFileSystem =
                step(awaiting, "new-fs").get("output").get("fileSystemId").asText();

        api.as("alice").post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "copy window overran"));
        awaitState(api, id, "ROLLED_BACK", Duration.ofSeconds(90));
        assertThat(desiredCount()).isEqualTo(2);
        assertThat(ruleState("fluxion-inventario-sync-30min")).isEqualTo("ENABLED");
        assertThat(ruleState("fluxion-ventas-sync-30min")).isEqualTo("ENABLED");
        assertThat(backendVolume().efsVolumeConfiguration().fileSystemId()).isEqualTo(volumeBefore);
        assertThat(efs.describeFileSystems().fileSystems())
                .extracting(FileSystemDescription::fileSystemId)
                .doesNotContain(newFileSystem);
    }

    /** The sandbox's parameters; the service's own health endpoint stands in for the backend's. */
    private Map<String, Object> parameters(SandboxEstate estate) {
        Map<String, Object> parameters = new HashMap<>(estate.efsEncryptionParameters());
        parameters.put("healthUrl", "http://127.0.0.1:" + port + "/actuator/health");
        parameters.put("pollInterval", "PT0.2S");
        return parameters;
    }

    private int desiredCount() {
        return ecs.describeServices(r -> r.cluster("fluxion-cluster").services("fluxion-backend"))
                .services()
                .get(0)
                .desiredCount();
    }

    private Volume backendVolume() {
        String arn = ecs.describeServices(r -> r.cluster("fluxion-cluster").services("fluxion-backend"))
                .services()
                .get(0)
                .taskDefinition();
        TaskDefinition definition =
                ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition();
        return definition.volumes().stream()
                .filter(v -> v.name().equals("fluxion-data"))
                .findFirst()
                .orElseThrow();
    }

    private FileSystemDescription fileSystem(String id) {
        return efs.describeFileSystems(r -> r.fileSystemId(id)).fileSystems().get(0);
    }

    private String ruleState(String name) {
        return events.describeRule(r -> r.name(name)).stateAsString();
    }
}
