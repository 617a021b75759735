package dev.ferry.aws.iam;

import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import dev.ferry.preflight.PermissionSimulation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Finds the principal the steps act as (STS GetCallerIdentity with the target's credentials, so
 * an assumed role answers as that role) and asks IAM's SimulatePrincipalPolicy about every action
 * at once, for any resource. The simulation sees identity policies and permission boundaries, not
 * resource policies or SCPs, so "allowed" is necessary rather than sufficient.
 */
@Component
class IamPermissionSimulation implements PermissionSimulation {

    private static final Pattern ASSUMED_ROLE = Pattern.compile("arn:([^:]+):sts::(\\d+):assumed-role/([^/]+)/.*");

    private final AwsClients clients;
    private final AwsProperties properties;

    IamPermissionSimulation(AwsClients clients, AwsProperties properties) {
        this.clients = clients;
        this.properties = properties;
    }

    @Override
    public Outcome simulate(String region, String roleArn, Set<String> iamActions) {
        AwsTarget target = new AwsTarget(region == null ? properties.region() : region, roleArn);
        String principal;
        try {
            principal = principal(clients.client("sts", StsClient::builder, target)
                    .getCallerIdentity()
                    .arn());
        } catch (SdkException e) {
            return Outcome.unavailable(null, "cannot tell who the principal is: " + reason(e));
        }
        try {
            IamClient iam = clients.client("iam", IamClient::builder, target);
            Map<String, String> decisions = new LinkedHashMap<>();
            for (EvaluationResult result : iam.simulatePrincipalPolicyPaginator(r -> r.policySourceArn(principal)
                            .actionNames(List.copyOf(iamActions))
                            .resourceArns("*"))
                    .evaluationResults()) {
                decisions.put(result.evalActionName(), result.evalDecisionAsString());
            }
            return new Outcome(true, principal, decisions, null);
        } catch (SdkException e) {
            return Outcome.unavailable(principal, "IAM SimulatePrincipalPolicy: " + reason(e));
        }
    }

    /** Simulation takes an IAM user or role; a session of an assumed role is simulated as its role. */
    static String principal(String callerArn) {
        Matcher assumed = ASSUMED_ROLE.matcher(callerArn);
        return assumed.matches()
                ? "arn:" + assumed.group(1) + ":iam::" + assumed.group(2) + ":role/" + assumed.group(3)
                : callerArn;
    }

    private static String reason(SdkException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + " (HTTP " + aws.statusCode() + ")"
                    + (aws.awsErrorDetails().errorMessage() == null
                            ? ""
                            : ": " + aws.awsErrorDetails().errorMessage());
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
