package dev.ferry.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.aws.ecs.ScaleServiceAction;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.Engine;
import dev.ferry.support.FaultInjectingProxy;
import dev.ferry.support.FaultInjectingProxy.Fault;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * How real AWS failures reach a step: the real {@code aws.ecs.scaleService} handler on an
 * {@link AwsClients} whose endpoint is a fault-injecting proxy in front of the emulator. Lives in
 * {@code dev.ferry.aws} because the {@link AwsClients} constructor is package-private.
 */
class AwsErrorClassificationIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Fault ACCESS_DENIED = Fault.json11(
            400,
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: ecs:DescribeServices");

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private FaultInjectingProxy proxy;
    private AwsClients clients;
    private SimpleMeterRegistry meters;
    private ScaleServiceAction action;
    private String cluster;

    @BeforeEach
    void proxiedHandler() {
        proxy = FaultInjectingProxy.start(AwsEmulator.endpoint());
        meters = new SimpleMeterRegistry();
        AwsProperties properties = new AwsProperties(AwsEmulator.REGION, proxy.uri());
        clients = new AwsClients(properties, meters);
        action = new ScaleServiceAction(clients, properties);
        cluster = "faults-" + UUID.randomUUID().toString().substring(0, 8);
        ecs.createCluster(r -> r.clusterName(cluster));
        String taskDefinition = ecs.registerTaskDefinition(r -> r.family(cluster + "-task")
                        .containerDefinitions(c -> c.name("app").image("nginx").memory(128)))
                .taskDefinition()
                .taskDefinitionArn();
        ecs.createService(r -> r.cluster(cluster)
                .serviceName("backend")
                .taskDefinition(taskDefinition)
                .desiredCount(2));
    }

    @AfterEach
    void stop() {
        clients.destroy();
        proxy.close();
    }

    @Test
    void throughTheProxyWithoutFaultsTheCallSucceeds() {
        ActionResult result = run(with(cluster));
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(calls("DescribeServices", "success").count()).isEqualTo(1);
        assertThat(calls("UpdateService", "success").count()).isEqualTo(1);
    }

    @Test
    void throttlingIsRetriedByTheSdkThenFailsRetryably() {
        proxy.failWith(Fault.json11(400, "ThrottlingException", "Rate exceeded"));
        ActionResult.Failed failed = failed(new ActionDriver(action, "scale").call(with(cluster)));
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.code()).isEqualTo("ThrottlingException");
        assertThat(failed.message()).contains("Rate exceeded");
        // The SDK's standard mode tried again before giving the failure to the step.
        assertThat(proxy.requests()).isGreaterThan(1);
        Timer timer = calls("DescribeServices", "ThrottlingException");
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.getId().getTag("service")).isNotBlank().isNotEqualTo("null");
    }

    @Test
    void aServerErrorIsRetryable() {
        proxy.failWith(Fault.json11(500, "InternalFailure", "We encountered an internal error"));
        ActionResult.Failed failed = failed(new ActionDriver(action, "scale").call(with(cluster)));
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.code()).isEqualTo("InternalFailure");
        assertThat(failed.detail().get("statusCode").asInt()).isEqualTo(500);
        assertThat(proxy.requests()).isGreaterThan(1);
    }

    @Test
    void accessDeniedIsNotRetriedAndShowsCodeMessageAndRequestId() {
        proxy.failWith(ACCESS_DENIED);
        ActionResult.Failed failed = failed(new ActionDriver(action, "scale").call(with(cluster)));
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.code()).isEqualTo("AccessDeniedException");
        assertThat(failed.message()).contains("AccessDeniedException").contains("is not authorized to perform");
        assertThat(failed.detail().get("awsErrorCode").asText()).isEqualTo("AccessDeniedException");
        assertThat(failed.detail().get("requestId").asText()).isEqualTo(ACCESS_DENIED.requestId());
        assertThat(failed.detail().get("awsCalls").get(0).get("requestId").asText())
                .isEqualTo(ACCESS_DENIED.requestId());
        assertThat(proxy.requests()).isEqualTo(1);
        assertThat(calls("DescribeServices", "AccessDeniedException").count()).isEqualTo(1);
    }

    @Test
    void aRealNotFoundFromTheEmulatorIsNotRetryable() {
        ActionResult.Failed failed = failed(run(with("no-such-cluster-" + UUID.randomUUID())));
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.code()).isEqualTo("ClusterNotFoundException");
        assertThat(failed.detail().get("statusCode").asInt()).isEqualTo(400);
        assertThat(proxy.requests()).isEqualTo(1);
        assertThat(calls("DescribeServices", "ClusterNotFoundException").count())
                .isEqualTo(1);
    }

    @Test
    void connectionRefusedIsARetryableClientError() {
        proxy.close();
        ActionResult.Failed failed = failed(new ActionDriver(action, "scale").call(with(cluster)));
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.code()).isEqualTo("AWS_CLIENT_ERROR");
        assertThat(calls("DescribeServices", "client-error").count()).isEqualTo(1);
    }

    @Test
    void aJobWhoseStepIsDeniedPausesWithTheAwsCode() {
        proxy.failWith(ACCESS_DENIED);
        try (Engine engine = Engine.start(TestDatabase.newDatabase(), "ferry.aws.endpoint=" + proxy.uri())) {
            Api api = engine.api();
            String plan = Jobs.registerPlan(
                    api,
                    "denied",
                    """
                    name: %s
                    parameters:
                      - {name: cluster, type: string, required: true}
                    phases:
                      freeze:
                        steps:
                          - id: stop-backend
                            action: aws.ecs.scaleService
                            with: {cluster: "${params.cluster}", service: backend, desiredCount: 0}
                    """);
            UUID id = Jobs.create(api, "alice", plan, Map.of("cluster", cluster));
            // Preflight would catch the denial before the start (PreflightIT); this test is about a
            // denial that comes only while the step runs, so the operator skips it, saying why.
            Api.Response started = api.as("alice")
                    .post(
                            "/api/v1/jobs/" + id + "/start",
                            Map.of("skipPreflight", true, "reason", "testing a denial during the run"));
            assertThat(started.status()).as(started.toString()).isEqualTo(200);
            JsonNode paused = Jobs.awaitState(api, id, "PAUSED");
            JsonNode error = Jobs.step(paused, "stop-backend").get("error");
            assertThat(error.get("code").asText()).isEqualTo("AccessDeniedException");
            assertThat(error.get("retryable").asBoolean()).isFalse();
            assertThat(error.get("detail").get("requestId").asText()).isEqualTo(ACCESS_DENIED.requestId());
            assertThat(paused.get("lastError").asText())
                    .contains("stop-backend")
                    .contains("AccessDeniedException");
        }
        assertThat(ecs.describeServices(r -> r.cluster(cluster).services("backend"))
                        .services()
                        .get(0)
                        .desiredCount())
                .isEqualTo(2);
    }

    private Timer calls(String operation, String outcome) {
        Timer timer = meters.find("ferry.aws.calls")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .timer();
        assertThat(timer)
                .as("ferry.aws.calls %s %s in %s", operation, outcome, meters.getMetersAsString())
                .isNotNull();
        return timer;
    }

    private ActionResult run(ObjectNode with) {
        return new ActionDriver(action, "scale").run(with, Duration.ofSeconds(10));
    }

    private static ObjectNode with(String cluster) {
        return JSON.createObjectNode()
                .put("cluster", cluster)
                .put("service", "backend")
                .put("desiredCount", 0);
    }

    private static ActionResult.Failed failed(ActionResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ActionResult.Failed.class);
        return (ActionResult.Failed) result;
    }
}
