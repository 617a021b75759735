package dev.ferry.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/** The RDS actions against the emulator, read back through the SDK. */
class RdsActionsIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    @Autowired
    CreateSnapshotAction createSnapshot;

    @Autowired
    RestoreFromSnapshotAction restore;

    @Autowired
    DeleteInstanceAction deleteInstance;

    private final RdsClient rds = AwsEmulator.client(RdsClient.builder());
    private String instance;

    @BeforeEach
    void database() {
        instance = "db-" + UUID.randomUUID().toString().substring(0, 8);
        rds.createDBInstance(r -> r.dbInstanceIdentifier(instance)
                .engine("postgres")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .masterUsername("ferry")
                .masterUserPassword("not-a-real-one"));
    }

    @Test
    void snapshotNameIsDerivedFromTheTokenAndARetryMakesNoSecondSnapshot() {
        ActionDriver driver = new ActionDriver(createSnapshot, "backup");
        ObjectNode with = snapshotWith().put("snapshotPrefix", "glpi-backup-before-ecs-migration");
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        String id = output.get("snapshotIdentifier").asText();
        assertThat(id).matches("glpi-backup-before-ecs-migration-[0-9a-f]{12}");
        assertThat(output.get("snapshotArn").asText()).endsWith(":snapshot:" + id);
        assertThat(snapshot(id).status()).isEqualTo("available");

        // The result was lost: the step runs again, even as a new attempt, and finds its snapshot.
        JsonNode again = succeeded(driver.restoredProgress(JsonNodeFactory.instance.objectNode())
                .nextAttempt()
                .run(with, AT_MOST));
        assertThat(again.get("snapshotIdentifier").asText()).isEqualTo(id);
        assertThat(manualSnapshots())
                .extracting(DBSnapshot::dbSnapshotIdentifier)
                .containsExactly(id);
        assertThat(snapshot(id).tagList())
                .anyMatch(t ->
                        t.key().equals("ferry:idempotency-token") && t.value().equals(driver.idempotencyToken()));
    }

    @Test
    void compensationKeepsTheSnapshotUnlessAskedNotTo() {
        ActionDriver driver = new ActionDriver(createSnapshot, "backup");
        JsonNode output = succeeded(driver.run(snapshotWith(), AT_MOST));
        String id = output.get("snapshotIdentifier").asText();

        assertThat(succeeded(driver.compensate(snapshotWith(), output))
                        .get("kept")
                        .asBoolean())
                .isTrue();
        assertThat(manualSnapshots()).hasSize(1);

        ObjectNode discard = snapshotWith().put("keepOnRollback", false);
        assertThat(succeeded(driver.compensate(discard, output)).get("deleted").asBoolean())
                .isTrue();
        assertThat(manualSnapshots()).isEmpty();
        // A second compensation after a lost result finds nothing left to do.
        assertThat(driver.compensate(discard, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(id).startsWith(instance + "-ferry-");
    }

    @Test
    void aSnapshotOfAnUnknownInstanceFailsWithoutRetry() {
        ActionResult result = new ActionDriver(createSnapshot, "backup")
                .run(JSON.createObjectNode().put("dbInstanceIdentifier", "nope-" + instance), AT_MOST);
        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(((ActionResult.Failed) result).code()).isEqualTo("DBInstanceNotFound");
    }

    @Test
    void restoresOnceAndCompensationDeletesTheRestoredInstance() {
        String snapshotId = succeeded(new ActionDriver(createSnapshot, "backup").run(snapshotWith(), AT_MOST))
                .get("snapshotIdentifier")
                .asText();
        ActionDriver driver = new ActionDriver(restore, "restore");
        ObjectNode with = JSON.createObjectNode()
                .put("dbInstanceIdentifier", instance + "-restored")
                .put("snapshotIdentifier", snapshotId)
                .put("dbInstanceClass", "db.t3.small");
        with.putArray("vpcSecurityGroupIds").add("sg-12345678");
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        assertThat(output.get("endpointAddress").asText()).startsWith(instance + "-restored.");
        assertThat(output.get("endpointPort").asInt()).isEqualTo(5432);
        assertThat(output.get("dbInstanceArn").asText()).endsWith(":db:" + instance + "-restored");
        assertThat(rds.describeDBInstances(r -> r.dbInstanceIdentifier(instance + "-restored"))
                        .dbInstances()
                        .get(0)
                        .dbInstanceClass())
                .isEqualTo("db.t3.small");

        JsonNode again = succeeded(
                driver.restoredProgress(JsonNodeFactory.instance.objectNode()).run(with, AT_MOST));
        assertThat(again.get("dbInstanceArn")).isEqualTo(output.get("dbInstanceArn"));

        await().atMost(AT_MOST).until(() -> driver.compensate(with, output) instanceof ActionResult.Succeeded);
        assertThat(exists(instance + "-restored")).isFalse();
        assertThat(manualSnapshots()).hasSize(1);
    }

    @Test
    void refusesToAdoptAnInstanceItDidNotRestore() {
        String snapshotId = succeeded(new ActionDriver(createSnapshot, "backup").run(snapshotWith(), AT_MOST))
                .get("snapshotIdentifier")
                .asText();
        ActionResult result = new ActionDriver(restore, "restore")
                .run(
                        JSON.createObjectNode()
                                .put("dbInstanceIdentifier", instance)
                                .put("snapshotIdentifier", snapshotId),
                        AT_MOST);
        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).code()).isEqualTo("DBInstanceAlreadyExists");
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(exists(instance)).isTrue();
    }

    @Test
    void deletesAfterAFinalSnapshotAndAnInstanceAlreadyGoneIsDeleted() {
        ActionDriver driver = new ActionDriver(deleteInstance, "drop-old-db");
        ObjectNode with =
                JSON.createObjectNode().put("dbInstanceIdentifier", instance).put("pollInterval", "PT0.1S");
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        assertThat(exists(instance)).isFalse();
        String finalSnapshot = output.get("finalSnapshotIdentifier").asText();
        assertThat(finalSnapshot).matches(instance + "-final-[0-9a-f]{12}");
        assertThat(snapshot(finalSnapshot).status()).isEqualTo("available");
        assertThat(output.get("dbInstanceArn").asText()).endsWith(":db:" + instance);
        assertThat(output.get("alreadyDeleted").asBoolean()).isFalse();

        JsonNode again = succeeded(new ActionDriver(deleteInstance, "drop-old-db").run(with, AT_MOST));
        assertThat(again.get("alreadyDeleted").asBoolean()).isTrue();
        assertThat(deleteInstance.describe(with)).startsWith("IRREVERSIBLE");
    }

    @Test
    void skipsTheFinalSnapshotWhenToldTo() {
        ObjectNode with =
                JSON.createObjectNode().put("dbInstanceIdentifier", instance).put("skipFinalSnapshot", true);
        JsonNode output = succeeded(new ActionDriver(deleteInstance, "drop").run(with, AT_MOST));
        assertThat(output.has("finalSnapshotIdentifier")).isFalse();
        assertThat(exists(instance)).isFalse();
        assertThat(manualSnapshots()).isEmpty();
    }

    @Test
    void snapshotThenRestoreAsStepsOfAJob() {
        String plan = Jobs.registerPlan(
                api(),
                "rds-restore",
                """
                name: %s
                parameters:
                  - {name: instance, type: string, required: true}
                phases:
                  prepare:
                    steps:
                      - id: backup
                        action: aws.rds.createSnapshot
                        with: {dbInstanceIdentifier: "${params.instance}", pollInterval: PT1S}
                  copy:
                    steps:
                      - id: restore
                        action: aws.rds.restoreFromSnapshot
                        with:
                          dbInstanceIdentifier: "${params.instance}-copy"
                          snapshotIdentifier: "${steps.backup.output.snapshotIdentifier}"
                          pollInterval: PT1S
                """);
        UUID id = Jobs.create(api(), "alice", plan, Map.of("instance", instance));
        api().as("alice").post("/api/v1/jobs/" + id + "/start", null);
        JsonNode done = Jobs.awaitState(api(), id, "SUCCEEDED");
        assertThat(Jobs.step(done, "restore")
                        .get("output")
                        .get("endpointAddress")
                        .asText())
                .startsWith(instance + "-copy.");
        assertThat(exists(instance + "-copy")).isTrue();
    }

    private ObjectNode snapshotWith() {
        return JSON.createObjectNode().put("dbInstanceIdentifier", instance).put("pollInterval", "PT0.1S");
    }

    private List<DBSnapshot> manualSnapshots() {
        return rds.describeDBSnapshots(r -> r.dbInstanceIdentifier(instance).snapshotType("manual"))
                .dbSnapshots();
    }

    private DBSnapshot snapshot(String id) {
        return rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(id))
                .dbSnapshots()
                .get(0);
    }

    private boolean exists(String id) {
        try {
            return !rds.describeDBInstances(r -> r.dbInstanceIdentifier(id))
                    .dbInstances()
                    .isEmpty();
        } catch (DbInstanceNotFoundException e) {
            return false;
        }
    }

    private static JsonNode succeeded(ActionResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ActionResult.Succeeded.class);
        return ((ActionResult.Succeeded) result).output();
    }
}
