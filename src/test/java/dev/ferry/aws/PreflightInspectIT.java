package dev.ferry.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.ecs.ScaleServiceAction;
import dev.ferry.aws.efs.DescribeFileSystemAction;
import dev.ferry.aws.rds.CreateSnapshotAction;
import dev.ferry.aws.s3.CopyObjectAction;
import dev.ferry.aws.sql.CompareRowCountsAction;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.EcsFixtures;
import dev.ferry.support.FerryIT;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The read-only resource checks of the actions' preflight, against the emulator. */
class PreflightInspectIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ScaleServiceAction scale;

    @Autowired
    DescribeFileSystemAction describeFileSystem;

    @Autowired
    CreateSnapshotAction snapshot;

    @Autowired
    CopyObjectAction copy;

    @Autowired
    CompareRowCountsAction rowCounts;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private final S3Client s3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));

    @Test
    void anActiveServiceIsFineAndAMissingOneBlocks() throws Exception {
        String cluster = EcsFixtures.clusterWithBackend(ecs, "preflight", 1);

        List<PreflightFinding> present =
                scale.preflight(with("{\"cluster\":\"%s\",\"service\":\"backend\",\"desiredCount\":0}", cluster));
        List<PreflightFinding> missing =
                scale.preflight(with("{\"cluster\":\"%s\",\"service\":\"gone\",\"desiredCount\":0}", cluster));

        assertThat(present).extracting(PreflightFinding::severity).containsExactly(PreflightFinding.Severity.OK);
        assertThat(present.get(0).subject()).isEqualTo("ecs:service:" + cluster + "/backend");
        assertThat(missing).extracting(PreflightFinding::severity).containsExactly(PreflightFinding.Severity.BLOCKING);
        assertThat(missing.get(0).reason()).contains("gone");
    }

    @Test
    void missingFileSystemsInstancesObjectsAndSecretsBlock() throws Exception {
        assertBlocks(describeFileSystem.preflight(with("{\"fileSystemId\":\"fs-%s\"}", "0123456789abcdef0")));
        assertBlocks(snapshot.preflight(with("{\"dbInstanceIdentifier\":\"nope-%s\"}", unique())));
        String bucket = "preflight-" + unique();
        s3.createBucket(r -> r.bucket(bucket));
        assertBlocks(copy.preflight(with(
                "{\"sourceBucket\":\"%1$s\",\"sourceKey\":\"absent\",\"targetBucket\":\"%1$s\","
                        + "\"targetKey\":\"copy\"}",
                bucket)));
        assertBlocks(rowCounts.preflight(with(
                "{\"source\":{\"secretId\":\"nope-%s\"},\"target\":{\"secretId\":\"x\"}," + "\"tables\":[\"t\"]}",
                unique())));
    }

    @Test
    void anExistingSourceObjectIsFine() throws Exception {
        String bucket = "preflight-" + unique();
        s3.createBucket(r -> r.bucket(bucket));
        s3.putObject(r -> r.bucket(bucket).key("data.csv"), RequestBody.fromString("a,b\n"));

        List<PreflightFinding> findings = copy.preflight(with(
                "{\"sourceBucket\":\"%1$s\",\"sourceKey\":\"data.csv\","
                        + "\"targetBucket\":\"%1$s\",\"targetKey\":\"copy.csv\"}",
                bucket));

        assertThat(findings).extracting(PreflightFinding::severity).containsOnly(PreflightFinding.Severity.OK);
        assertThat(findings.get(0).reason()).isEqualTo("4 bytes");
    }

    @Test
    void aParameterOnlyKnownAtRunTimeIsNotInspected() throws Exception {
        assertThat(describeFileSystem.preflight(
                        with("{\"fileSystemId\":\"%s\"}", "${steps.new-fs.output.fileSystemId}")))
                .isEmpty();
    }

    private static void assertBlocks(List<PreflightFinding> findings) {
        assertThat(findings)
                .as(findings.toString())
                .extracting(PreflightFinding::severity)
                .contains(PreflightFinding.Severity.BLOCKING);
    }

    private static JsonNode with(String json, String value) throws Exception {
        return JSON.readTree(json.formatted(value));
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
