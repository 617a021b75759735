package dev.ferry.aws.cloudformation;

import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import dev.ferry.preflight.PreflightProperties;
import dev.ferry.preflight.StackDrift;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.StackDriftDetectionStatus;
import software.amazon.awssdk.services.cloudformation.model.StackDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackResourceDriftStatus;

/**
 * Drift detection for preflight: starts it and polls for at most {@code ferry.preflight.drift-wait}
 * (detection of a small stack takes seconds; an operator waits for the answer). Not finished, not
 * possible, or not complete is UNKNOWN with the reason, never "in sync".
 */
@Component
class CloudFormationStackDrift implements StackDrift {

    private static final Duration POLL = Duration.ofSeconds(1);

    private final AwsClients clients;
    private final AwsProperties properties;
    private final Duration wait;

    CloudFormationStackDrift(AwsClients clients, AwsProperties properties, PreflightProperties preflight) {
        this.clients = clients;
        this.properties = properties;
        this.wait = preflight.driftWait();
    }

    @Override
    public Outcome detect(String region, String roleArn, String stackName) {
        CloudFormationClient cloudFormation = clients.client(
                "cloudformation",
                CloudFormationClient::builder,
                new AwsTarget(region == null ? properties.region() : region, roleArn));
        try {
            String id =
                    cloudFormation.detectStackDrift(r -> r.stackName(stackName)).stackDriftDetectionId();
            Instant deadline = Instant.now().plus(wait);
            DescribeStackDriftDetectionStatusResponse status =
                    cloudFormation.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(id));
            while (status.detectionStatus() == StackDriftDetectionStatus.DETECTION_IN_PROGRESS) {
                if (Instant.now().isAfter(deadline)) {
                    return new Outcome(Status.UNKNOWN, "drift detection " + id + " still running after " + wait);
                }
                pause();
                status = cloudFormation.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(id));
            }
            if (status.stackDriftStatus() == StackDriftStatus.DRIFTED) {
                String resources = cloudFormation
                        .describeStackResourceDriftsPaginator(r -> r.stackName(stackName)
                                .stackResourceDriftStatusFilters(
                                        StackResourceDriftStatus.MODIFIED, StackResourceDriftStatus.DELETED))
                        .stream()
                        .flatMap(page -> page.stackResourceDrifts().stream())
                        .limit(10)
                        .map(d -> d.logicalResourceId() + " " + d.stackResourceDriftStatusAsString())
                        .collect(Collectors.joining(", "));
                return new Outcome(
                        Status.DRIFTED,
                        status.driftedStackResourceCount() + " resource(s) drifted"
                                + (resources.isEmpty() ? "" : " (" + resources + ")"));
            }
            if (status.stackDriftStatus() == StackDriftStatus.IN_SYNC
                    && status.detectionStatus() == StackDriftDetectionStatus.DETECTION_COMPLETE) {
                return new Outcome(Status.IN_SYNC, "");
            }
            return new Outcome(
                    Status.UNKNOWN,
                    "detection ended " + status.detectionStatusAsString() + " with " + status.stackDriftStatusAsString()
                            + ": " + status.detectionStatusReason());
        } catch (SdkException e) {
            String why = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                    ? aws.awsErrorDetails().errorCode() + " (HTTP " + aws.statusCode() + ")"
                    : e.getMessage();
            return new Outcome(Status.UNKNOWN, "DetectStackDrift failed: " + why);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for drift detection", e);
        }
    }
}
