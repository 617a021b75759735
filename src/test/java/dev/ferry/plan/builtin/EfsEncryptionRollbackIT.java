package dev.ferry.plan.builtin;

import static dev.ferry.plan.builtin.Operators.awaitState;
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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Rollback of {@code efs-encryption} after each phase, against the seeded estate: the built-in
 * plan with an approval added to the next phase (so the job stops exactly there), rolled back, and
 * the estate read back — service count, volume, ETL schedules as before, the new file system gone.
 */
class EfsEncryptionRollbackIT extends FerryIT {

    @Autowired
    AwsClients clients;

    @Autowired
    AwsProperties properties;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private final EfsClient efs = AwsEmulator.client(EfsClient.builder());
    private final EventBridgeClient events = AwsEmulator.client(EventBridgeClient.builder());

    @ParameterizedTest
    @ValueSource(strings = {"prepare", "freeze", "copy", "verify", "cutover", "observe"})
    void rollingBackAfterAPhaseRestoresTheEstate(String phase) {
        SandboxEstate estate = new FluxionEstate(clients, properties).seed();
        String volumeBefore = backendVolume();
        Api api = api();
        String plan = stopAfter(api, phase);
        Map<String, Object> parameters = new HashMap<>(estate.efsEncryptionParameters());
        parameters.put("healthUrl", "http://127.0.0.1:" + port + "/actuator/health");
        parameters.put("pollInterval", "PT0.2S");
        UUID id = Jobs.start(api, "alice", plan, parameters);
        if ("cutover".equals(phase) || "observe".equals(phase)) {
            awaitState(api, id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
            api.as("bob", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
            api.as("carol", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
        }
        JsonNode stopped =
                awaitState(api, id, "observe".equals(phase) ? "WAITING" : "AWAITING_APPROVAL", Duration.ofSeconds(60));
        JsonNode newFs = Jobs.step(stopped, "new-fs").path("output").path("fileSystemId");

        api.as("alice")
                .post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "rehearsing rollback after " + phase));
        awaitState(api, id, "ROLLED_BACK", Duration.ofSeconds(60));
        assertThat(ecs.describeServices(r -> r.cluster("fluxion-cluster").services("fluxion-backend"))
                        .services()
                        .get(0)
                        .desiredCount())
                .isEqualTo(2);
        assertThat(backendVolume()).isEqualTo(volumeBefore);
        assertThat(ruleState("fluxion-inventario-sync-30min")).isEqualTo("ENABLED");
        assertThat(ruleState("fluxion-ventas-sync-30min")).isEqualTo("ENABLED");
        if (!newFs.isMissingNode()) {
            assertThat(efs.describeFileSystems().fileSystems())
                    .extracting(FileSystemDescription::fileSystemId)
                    .doesNotContain(newFs.asText())
                    .contains(estate.fileSystemId());
        }
    }

    /** The built-in plan under another name, with an approval before the phase that follows {@code phase}. */
    private static String stopAfter(Api api, String phase) {
        String source =
                api.get("/api/v1/plans/efs-encryption").json().get("source").asText();
        String next =
                switch (phase) {
                    case "prepare" -> "freeze";
                    case "freeze" -> "copy";
                    case "copy" -> "verify";
                    case "verify" -> "cutover";
                    case "cutover" -> "observe";
                    default -> null;
                };
        String name = "efs-stop-" + phase + "-" + UUID.randomUUID().toString().substring(0, 6);
        String variant = source.replace("name: efs-encryption", "name: " + name.toLowerCase(Locale.ROOT));
        if (next != null && !"cutover".equals(next)) {
            variant = variant.replace("\n  " + next + ":\n", "\n  " + next + ":\n    approval: {required: 1}\n");
        }
        Api.Response registered = api.as("plan-author").post("/api/v1/plans", "application/yaml", variant);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        return name;
    }

    private String backendVolume() {
        String arn = ecs.describeServices(r -> r.cluster("fluxion-cluster").services("fluxion-backend"))
                .services()
                .get(0)
                .taskDefinition();
        return ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition().volumes().stream()
                .filter(v -> v.name().equals("fluxion-data"))
                .findFirst()
                .orElseThrow()
                .efsVolumeConfiguration()
                .fileSystemId();
    }

    private String ruleState(String name) {
        return events.describeRule(r -> r.name(name)).stateAsString();
    }
}
