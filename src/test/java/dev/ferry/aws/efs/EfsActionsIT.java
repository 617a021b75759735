package dev.ferry.aws.efs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.efs.model.FileSystemNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** The EFS actions against the emulator, read back through the SDK. */
class EfsActionsIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    @Autowired
    CreateFileSystemAction create;

    @Autowired
    DescribeFileSystemAction describe;

    @Autowired
    DeleteFileSystemAction delete;

    private final EfsClient efs = AwsEmulator.client(EfsClient.builder());
    private final Ec2Client ec2 = AwsEmulator.client(Ec2Client.builder());
    private final KmsClient kms = AwsEmulator.client(KmsClient.builder());
    private String subnetA;
    private String subnetB;
    private String securityGroup;
    private KeyMetadata key;
    private String alias;

    @BeforeEach
    void network() {
        // A VPC per test: CIDRs may repeat across VPCs, so tests stay apart.
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        subnetA = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.40.1.0/24").availabilityZone("us-east-1a"))
                .subnet()
                .subnetId();
        subnetB = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.40.2.0/24").availabilityZone("us-east-1b"))
                .subnet()
                .subnetId();
        securityGroup = ec2.createSecurityGroup(
                        r -> r.vpcId(vpc).groupName("efs-" + UUID.randomUUID()).description("EFS clients"))
                .groupId();
        key = kms.createKey(r -> r.description("efs data")).keyMetadata();
        alias = "alias/efs-" + UUID.randomUUID();
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
    }

    @Test
    void createsAnEncryptedFileSystemWithMountTargetsOnceEvenWhenRunAgain() {
        ActionDriver driver = new ActionDriver(create, "new-fs");
        ObjectNode with = createWith();
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        String id = output.get("fileSystemId").asText();
        FileSystemDescription fs =
                efs.describeFileSystems(r -> r.fileSystemId(id)).fileSystems().get(0);
        assertThat(fs.encrypted()).isTrue();
        assertThat(fs.kmsKeyId()).endsWith(key.keyId());
        assertThat(fs.creationToken()).isEqualTo(driver.idempotencyToken());
        assertThat(fs.throughputModeAsString()).isEqualTo("elastic");
        assertThat(fs.tags()).anyMatch(t -> t.key().equals("Name") && t.value().equals("fluxion-data-encrypted"));
        assertThat(output.get("encrypted").asBoolean()).isTrue();
        assertThat(output.get("fileSystemArn").asText()).endsWith("file-system/" + id);
        assertThat(output.get("mountTargetIds")).hasSize(2);
        assertThat(efs.describeMountTargets(r -> r.fileSystemId(id)).mountTargets())
                .extracting(t -> t.subnetId())
                .containsExactlyInAnyOrder(subnetA, subnetB);

        // The result was lost and the step runs again: same file system, no extra mount target.
        JsonNode again = succeeded(driver.restoredProgress(JsonNodeFactory.instance.objectNode())
                .nextAttempt()
                .run(with, AT_MOST));
        assertThat(again.get("fileSystemId").asText()).isEqualTo(id);
        assertThat(again.get("mountTargetIds")).isEqualTo(output.get("mountTargetIds"));
        assertThat(efs.describeFileSystems(r -> r.creationToken(driver.idempotencyToken()))
                        .fileSystems())
                .hasSize(1);
    }

    @Test
    void compensationDeletesTheMountTargetsThenTheFileSystem() {
        ActionDriver driver = new ActionDriver(create, "new-fs");
        ObjectNode with = createWith();
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        String id = output.get("fileSystemId").asText();

        await().atMost(AT_MOST).until(() -> driver.compensate(with, output) instanceof ActionResult.Succeeded);
        assertThat(exists(id)).isFalse();
        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
    }

    @Test
    void describePassesWhenEveryExpectationHoldsWhateverTheKeyIsCalled() {
        String id = succeeded(new ActionDriver(create, "new-fs").run(createWith(), AT_MOST))
                .get("fileSystemId")
                .asText();
        for (String keyName : new String[] {key.keyId(), key.arn(), alias}) {
            ObjectNode with = JSON.createObjectNode().put("fileSystemId", id);
            with.putObject("expect")
                    .put("encrypted", true)
                    .put("kmsKeyId", keyName)
                    .put("lifeCycleState", "available")
                    .put("numberOfMountTargets", 2);
            JsonNode observed = succeeded(new ActionDriver(describe, "verify").run(with, AT_MOST));
            assertThat(observed.get("encrypted").asBoolean()).isTrue();
        }
    }

    @Test
    void describeNamesEveryExpectationThatFailsWithoutRetry() {
        String plain = efs.createFileSystem(
                        r -> r.creationToken(UUID.randomUUID().toString()).encrypted(false))
                .fileSystemId();
        ObjectNode with = JSON.createObjectNode().put("fileSystemId", plain);
        with.putObject("expect").put("encrypted", true).put("kmsKeyId", alias).put("lifeCycleState", "available");
        ActionResult result = new ActionDriver(describe, "verify").run(with, AT_MOST);
        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        ActionResult.Failed failed = (ActionResult.Failed) result;
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.code()).isEqualTo("EXPECTATION_FAILED");
        assertThat(failed.message())
                .contains("encrypted: expected true but was false")
                .contains("kmsKeyId: expected")
                .doesNotContain("lifeCycleState");
        assertThat(failed.detail().get("observed").get("fileSystemId").asText()).isEqualTo(plain);
    }

    @Test
    void deletesMountTargetsThenTheFileSystemAndAFileSystemAlreadyGoneIsDeleted() {
        String old = efs.createFileSystem(r -> r.creationToken(UUID.randomUUID().toString()))
                .fileSystemId();
        String target = efs.createMountTarget(r -> r.fileSystemId(old).subnetId(subnetA))
                .mountTargetId();
        ObjectNode with = JSON.createObjectNode().put("fileSystemId", old).put("pollInterval", "PT0.1S");
        JsonNode output = succeeded(new ActionDriver(delete, "delete-old-fs").run(with, AT_MOST));
        assertThat(exists(old)).isFalse();
        assertThat(output.get("alreadyDeleted").asBoolean()).isFalse();
        assertThat(output.get("wasEncrypted").asBoolean()).isFalse();
        assertThat(output.get("deletedMountTargetIds").get(0).asText()).isEqualTo(target);

        JsonNode again = succeeded(new ActionDriver(delete, "delete-old-fs").run(with, AT_MOST));
        assertThat(again.get("alreadyDeleted").asBoolean()).isTrue();
        assertThat(delete.describe(with)).startsWith("IRREVERSIBLE");
    }

    @Test
    void theEncryptionRunbookAsAJob() {
        String old = efs.createFileSystem(r -> r.creationToken(UUID.randomUUID().toString()))
                .fileSystemId();
        efs.createMountTarget(r -> r.fileSystemId(old).subnetId(subnetA));
        String plan = Jobs.registerPlan(
                api(),
                "efs-encryption",
                """
                name: %s
                parameters:
                  - {name: sourceFileSystemId, type: string, required: true}
                  - {name: kmsKeyId, type: string, required: true}
                  - {name: subnet, type: string, required: true}
                phases:
                  prepare:
                    steps:
                      - id: new-fs
                        action: aws.efs.createFileSystem
                        with: {encrypted: true, kmsKeyId: "${params.kmsKeyId}", subnetIds: ["${params.subnet}"], pollInterval: PT1S}
                  verify:
                    steps:
                      - id: encrypted
                        action: aws.efs.describe
                        with:
                          fileSystemId: "${steps.new-fs.output.fileSystemId}"
                          expect: {encrypted: true, kmsKeyId: "${params.kmsKeyId}", lifeCycleState: available}
                  cleanup:
                    steps:
                      - id: delete-old-fs
                        action: aws.efs.deleteFileSystem
                        irreversible: true
                        with: {fileSystemId: "${params.sourceFileSystemId}", pollInterval: PT1S}
                """);
        UUID id = Jobs.create(
                api(), "alice", plan, Map.of("sourceFileSystemId", old, "kmsKeyId", alias, "subnet", subnetB));
        api().as("alice").post("/api/v1/jobs/" + id + "/start", null);
        JsonNode done = Jobs.awaitState(api(), id, "SUCCEEDED");
        assertThat(Jobs.step(done, "encrypted").get("output").get("encrypted").asBoolean())
                .isTrue();
        assertThat(exists(old)).isFalse();
        assertThat(exists(Jobs.step(done, "new-fs")
                        .get("output")
                        .get("fileSystemId")
                        .asText()))
                .isTrue();
    }

    @Test
    void theSchemasRefuseUnknownExpectationsAndModes() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonSchema describeSchema = factory.getSchema(describe.parameterSchema());
        ObjectNode with = JSON.createObjectNode().put("fileSystemId", "fs-1");
        with.putObject("expect").put("encrypted", true);
        assertThat(describeSchema.validate(with)).isEmpty();
        ((ObjectNode) with.get("expect")).put("Encrypted", true);
        assertThat(describeSchema.validate(with)).isNotEmpty();
        JsonSchema createSchema = factory.getSchema(create.parameterSchema());
        assertThat(createSchema.validate(createWith())).isEmpty();
        assertThat(createSchema.validate(createWith().put("throughputMode", "fast")))
                .isNotEmpty();
        assertThat(createSchema.validate(createWith().put("pollInterval", "30s")))
                .isNotEmpty();
    }

    private ObjectNode createWith() {
        ObjectNode with = JSON.createObjectNode()
                .put("encrypted", true)
                .put("kmsKeyId", key.keyId())
                .put("throughputMode", "elastic")
                .put("pollInterval", "PT0.1S");
        with.putObject("tags").put("Name", "fluxion-data-encrypted");
        with.putArray("subnetIds").add(subnetA).add(subnetB);
        with.putArray("securityGroupIds").add(securityGroup);
        return with;
    }

    private boolean exists(String id) {
        try {
            return !efs.describeFileSystems(r -> r.fileSystemId(id))
                    .fileSystems()
                    .isEmpty();
        } catch (FileSystemNotFoundException e) {
            return false;
        }
    }

    private static JsonNode succeeded(ActionResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ActionResult.Succeeded.class);
        return ((ActionResult.Succeeded) result).output();
    }
}
