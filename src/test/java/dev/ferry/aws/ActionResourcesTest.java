package dev.ferry.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.action.ActionHandler;
import dev.ferry.aws.ec2.TerminateInstancesAction;
import dev.ferry.aws.ecs.ScaleServiceAction;
import dev.ferry.aws.ecs.UpdateServiceAction;
import dev.ferry.aws.ecs.WaitStableAction;
import dev.ferry.aws.efs.DeleteFileSystemAction;
import dev.ferry.aws.events.DisableRuleAction;
import dev.ferry.aws.rds.DeleteInstanceAction;
import dev.ferry.aws.secretsmanager.PutSecretValueAction;
import dev.ferry.aws.ssm.PutParameterAction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Mutating actions name the resources they change (what resource locks guard); read-only ones name none. */
class ActionResourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsProperties PROPERTIES = new AwsProperties("us-east-1", null);
    private static final AwsClients CLIENTS = new AwsClients(PROPERTIES, new SimpleMeterRegistry());

    static Stream<Arguments> actions() {
        return Stream.of(
                Arguments.of(
                        action(ScaleServiceAction::new),
                        "{\"cluster\":\"c\",\"service\":\"s\",\"desiredCount\":0}",
                        new String[] {"ecs:service:c/s"}),
                Arguments.of(action(UpdateServiceAction::new), "{\"cluster\":\"c\",\"service\":\"s\"}", new String[] {
                    "ecs:service:c/s"
                }),
                Arguments.of(
                        action(TerminateInstancesAction::new),
                        "{\"instanceIds\":[\"i-1\",\"i-2\"]}",
                        new String[] {"ec2:instance:i-1", "ec2:instance:i-2"}),
                Arguments.of(
                        action(PutParameterAction::new),
                        "{\"name\":\"/app/split\",\"value\":\"10\"}",
                        new String[] {"ssm:parameter:/app/split"}),
                Arguments.of(
                        action(DisableRuleAction::new), "{\"name\":\"etl\"}", new String[] {"events:rule:default/etl"}),
                Arguments.of(action(DeleteInstanceAction::new), "{\"dbInstanceIdentifier\":\"db1\"}", new String[] {
                    "rds:instance:db1"
                }),
                Arguments.of(
                        action(DeleteFileSystemAction::new), "{\"fileSystemId\":\"fs-1\"}", new String[] {"efs:fs-1"}),
                Arguments.of(
                        action(PutSecretValueAction::new),
                        "{\"secretId\":\"app/db\",\"secretString\":\"x\"}",
                        new String[] {"secretsmanager:app/db"}),
                Arguments.of(action(WaitStableAction::new), "{\"cluster\":\"c\",\"service\":\"s\"}", new String[] {}));
    }

    @ParameterizedTest
    @MethodSource("actions")
    void namesTheResourcesItChanges(ActionHandler action, String with, String[] expected) throws Exception {
        JsonNode parameters = JSON.readTree(with);
        assertThat(action.resources(parameters)).containsExactlyInAnyOrder(expected);
    }

    private static ActionHandler action(BiFunction<AwsClients, AwsProperties, ActionHandler> constructor) {
        return constructor.apply(CLIENTS, PROPERTIES);
    }
}
