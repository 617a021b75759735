package dev.ferry.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.PlannedCall;
import dev.ferry.aws.apigateway.ExportApiAction;
import dev.ferry.aws.ecs.RegisterTaskDefinitionRevisionAction;
import dev.ferry.aws.ecs.RunTaskAction;
import dev.ferry.aws.ecs.ScaleServiceAction;
import dev.ferry.aws.ecs.UpdateServiceAction;
import dev.ferry.aws.ecs.WaitStableAction;
import dev.ferry.aws.efs.CreateFileSystemAction;
import dev.ferry.aws.efs.DeleteFileSystemAction;
import dev.ferry.aws.efs.DescribeFileSystemAction;
import dev.ferry.aws.kms.CreateKeyAction;
import dev.ferry.aws.lambda.ExportConfigurationAction;
import dev.ferry.aws.rds.CreateSnapshotAction;
import dev.ferry.aws.rds.DeleteInstanceAction;
import dev.ferry.aws.rds.RestoreFromSnapshotAction;
import dev.ferry.aws.s3.CompareObjectsAction;
import dev.ferry.aws.s3.CopyObjectAction;
import dev.ferry.aws.s3.CopyPrefixAction;
import dev.ferry.aws.sql.CompareRowCountsAction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The calls actions declare for previews and permission checks: SDK service names as recorded,
 * the IAM actions each needs, and the resources mutations change. That the declarations match
 * what runs record is {@code PreviewMatchesRunIT}'s job.
 */
class PlannedCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsProperties PROPERTIES = new AwsProperties("us-east-1", null);
    private static final AwsClients CLIENTS = new AwsClients(PROPERTIES, new SimpleMeterRegistry());
    /** IAM prefix per service name as the SDK records it. */
    private static final Map<String, List<String>> IAM = Map.of(
            "Ecs",
            List.of("ecs:", "iam:PassRole"),
            "Efs",
            List.of("elasticfilesystem:", "kms:", "ec2:"),
            "Rds",
            List.of("rds:"),
            "Kms",
            List.of("kms:"),
            "S3",
            List.of("s3:", "kms:"),
            "ApiGateway",
            List.of("apigateway:GET"),
            "Lambda",
            List.of("lambda:"),
            "SecretsManager",
            List.of("secretsmanager:"));

    static Stream<Arguments> actions() {
        return Stream.of(
                Arguments.of(
                        action(ScaleServiceAction::new), "{\"cluster\":\"c\",\"service\":\"s\",\"desiredCount\":0}"),
                Arguments.of(
                        action(UpdateServiceAction::new),
                        "{\"cluster\":\"c\",\"service\":\"s\",\"taskDefinition\":\"f:2\"}"),
                Arguments.of(action(WaitStableAction::new), "{\"cluster\":\"c\",\"service\":\"s\"}"),
                Arguments.of(
                        action(RegisterTaskDefinitionRevisionAction::new), "{\"cluster\":\"c\",\"service\":\"s\"}"),
                Arguments.of(action(RunTaskAction::new), "{\"cluster\":\"c\",\"taskDefinition\":\"tools\"}"),
                Arguments.of(
                        action(CreateFileSystemAction::new),
                        "{\"kmsKeyId\":\"alias/efs\",\"subnetIds\":[\"subnet-1\"]}"),
                Arguments.of(action(DeleteFileSystemAction::new), "{\"fileSystemId\":\"fs-1\"}"),
                Arguments.of(
                        action(DescribeFileSystemAction::new),
                        "{\"fileSystemId\":\"fs-1\",\"expect\":{\"kmsKeyId\":\"alias/efs\"}}"),
                Arguments.of(action(CreateKeyAction::new), "{\"alias\":\"efs\"}"),
                Arguments.of(
                        action(CreateSnapshotAction::new),
                        "{\"dbInstanceIdentifier\":\"db1\",\"keepOnRollback\":false}"),
                Arguments.of(action(DeleteInstanceAction::new), "{\"dbInstanceIdentifier\":\"db1\"}"),
                Arguments.of(
                        action(RestoreFromSnapshotAction::new),
                        "{\"dbInstanceIdentifier\":\"db2\",\"snapshotIdentifier\":\"s1\"}"),
                Arguments.of(
                        action(CopyObjectAction::new),
                        "{\"sourceBucket\":\"a\",\"sourceKey\":\"k\",\"targetBucket\":\"b\",\"targetKey\":\"k\"}"),
                Arguments.of(
                        action(CopyPrefixAction::new),
                        "{\"sourceBucket\":\"a\",\"sourcePrefix\":\"p/\",\"targetBucket\":\"b\"}"),
                Arguments.of(
                        action(CompareObjectsAction::new),
                        "{\"sourceBucket\":\"a\",\"sourcePrefix\":\"p/\",\"targetBucket\":\"b\"}"),
                Arguments.of(
                        action(ExportApiAction::new), "{\"restApiId\":\"r1\",\"stageName\":\"prod\",\"bucket\":\"b\"}"),
                Arguments.of(action(ExportConfigurationAction::new), "{\"functionName\":\"f\",\"bucket\":\"b\"}"),
                Arguments.of(
                        action(CompareRowCountsAction::new),
                        "{\"source\":{\"secretId\":\"old\"},\"target\":{\"secretId\":\"new\"},\"tables\":[\"t\"]}"));
    }

    @ParameterizedTest
    @MethodSource("actions")
    void everyCallNamesItsServiceAsRecordedAndTheIamActionsItNeeds(ActionHandler action, String with) throws Exception {
        JsonNode parameters = JSON.readTree(with);
        List<PlannedCall> calls = new ArrayList<>(action.plannedCalls(parameters));
        assertThat(calls).as(action.name()).isNotEmpty();
        calls.addAll(action.plannedCompensationCalls(parameters));
        for (PlannedCall call : calls) {
            assertThat(IAM).as(action.name() + " " + call.operation()).containsKey(call.service());
            assertThat(call.iamActions())
                    .as(action.name() + " " + call.operation())
                    .isNotEmpty()
                    .allMatch(iam -> IAM.get(call.service()).stream().anyMatch(iam::startsWith));
            assertThat(call.operation()).matches("[A-Z][A-Za-z0-9]+");
            if (call.operation()
                    .matches("(Create|Delete|Update|Register|Deregister|Run|Restore|Copy|Put|Schedule|Enable).*")) {
                assertThat(call.changes())
                        .as(action.name() + " " + call.operation() + " changes something")
                        .isNotEmpty();
            } else {
                assertThat(call.changes())
                        .as(action.name() + " " + call.operation() + " reads")
                        .isEmpty();
            }
        }
        assertThat(action.plannedCompensationCalls(parameters).isEmpty())
                .as(action.name() + " plans a compensation exactly when it has one")
                .isEqualTo(!action.compensable());
    }

    @Test
    void aCopyReadsTheSourceAndWritesTheTarget() throws Exception {
        PlannedCall copy = action(CopyObjectAction::new)
                .plannedCalls(JSON.readTree(
                        "{\"sourceBucket\":\"a\",\"sourceKey\":\"k\",\"targetBucket\":\"b\",\"targetKey\":\"k2\"}"))
                .get(2);
        assertThat(copy.operation()).isEqualTo("CopyObject");
        assertThat(copy.iamActions()).containsExactly("s3:GetObject", "s3:PutObject");
        assertThat(copy.changes()).containsExactly("s3://b/k2");
    }

    @Test
    void aSnapshotKeptOnRollbackHasNothingToUndo() throws Exception {
        ActionHandler snapshot = action(CreateSnapshotAction::new);
        assertThat(snapshot.plannedCompensationCalls(JSON.readTree("{\"dbInstanceIdentifier\":\"db1\"}")))
                .isEmpty();
        assertThat(snapshot.plannedCompensationCalls(
                        JSON.readTree("{\"dbInstanceIdentifier\":\"db1\",\"keepOnRollback\":false}")))
                .extracting(PlannedCall::operation)
                .containsExactly("DeleteDBSnapshot");
    }

    @Test
    void scalingNamesTheServiceItChangesAndTheCountItSets() throws Exception {
        List<PlannedCall> calls = action(ScaleServiceAction::new)
                .plannedCalls(JSON.readTree("{\"cluster\":\"prod\",\"service\":\"backend\",\"desiredCount\":0}"));
        assertThat(calls).extracting(PlannedCall::operation).containsExactly("DescribeServices", "UpdateService");
        assertThat(calls.get(1).arguments().get("desiredCount").asInt()).isZero();
        assertThat(calls.get(1).changes()).containsExactly("ecs:service:prod/backend");
        assertThat(calls.get(0).mutates()).isFalse();
    }

    private static ActionHandler action(BiFunction<AwsClients, AwsProperties, ActionHandler> constructor) {
        return constructor.apply(CLIENTS, PROPERTIES);
    }
}
