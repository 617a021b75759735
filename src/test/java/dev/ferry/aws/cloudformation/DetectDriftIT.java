package dev.ferry.aws.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDrift;

/**
 * {@code aws.cloudformation.detectDrift}. moto 5 answers DetectStackDrift with HTTP 500 (not
 * implemented), so against the emulator only the failure path is exercised; what the detection
 * results mean is checked on the status records AWS documents.
 */
class DetectDriftIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    DetectDriftAction action;

    @Test
    void theEmulatorCannotDetectDriftAndTheStepSaysSoAsARetryableFailure() {
        CloudFormationClient cloudFormation = AwsEmulator.client(CloudFormationClient.builder());
        String stack = "drift-" + UUID.randomUUID().toString().substring(0, 8);
        cloudFormation.createStack(
                r -> r.stackName(stack).templateBody("{\"Resources\":{\"Topic\":{\"Type\":\"AWS::SNS::Topic\"}}}"));
        ActionResult result =
                new ActionDriver(action, "drift").call(JSON.createObjectNode().put("stackName", stack));
        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable())
                .as("HTTP 500 from moto")
                .isTrue();
    }

    @Test
    void inSyncSucceeds() {
        ActionResult result =
                DetectDriftAction.judge(status("DETECTION_COMPLETE", "IN_SYNC", 0), JSON.createObjectNode(), List::of);
        assertThat(((ActionResult.Succeeded) result)
                        .output()
                        .get("stackDriftStatus")
                        .asText())
                .isEqualTo("IN_SYNC");
    }

    @Test
    void driftedFailsForGoodNamingTheResources() {
        ActionResult.Failed failed = (ActionResult.Failed) DetectDriftAction.judge(
                status("DETECTION_COMPLETE", "DRIFTED", 1),
                JSON.createObjectNode(),
                () -> List.of(StackResourceDrift.builder()
                        .logicalResourceId("CacheRefreshRule")
                        .physicalResourceId("fluxion-productos-cache-refresh")
                        .resourceType("AWS::Events::Rule")
                        .stackResourceDriftStatus("MODIFIED")
                        .build()));
        assertThat(failed.code()).isEqualTo("STACK_DRIFTED");
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.detail().at("/driftedResources/0/physicalResourceId").asText())
                .isEqualTo("fluxion-productos-cache-refresh");
    }

    @Test
    void inProgressPollsAndAFailedDetectionIsNotTakenForInSync() {
        assertThat(DetectDriftAction.judge(status("DETECTION_IN_PROGRESS", null, 0), JSON.createObjectNode(), List::of))
                .isInstanceOf(ActionResult.InProgress.class);
        ActionResult.Failed failed = (ActionResult.Failed)
                DetectDriftAction.judge(status("DETECTION_FAILED", "IN_SYNC", 0), JSON.createObjectNode(), List::of);
        assertThat(failed.code()).isEqualTo("DRIFT_UNKNOWN");
    }

    private static DescribeStackDriftDetectionStatusResponse status(String detection, String drift, int drifted) {
        return DescribeStackDriftDetectionStatusResponse.builder()
                .stackId("arn:aws:cloudformation:stack/fluxion")
                .stackDriftDetectionId("d-1")
                .detectionStatus(detection)
                .stackDriftStatus(drift)
                .driftedStackResourceCount(drifted)
                .build();
    }
}
