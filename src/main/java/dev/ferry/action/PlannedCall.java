package dev.ferry.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One AWS API call a step (or its compensation) will make, known before it runs: what a preview
 * shows ("the cdk diff before anything is applied") and what preflight checks permission for.
 *
 * @param service the SDK's service name, as {@code ferry.aws.calls} and a step's recorded
 *     {@code awsCalls} name it ({@code Ecs}, {@code Efs}, {@code S3}, {@code SecretsManager},
 *     {@code ApiGateway}...: the SDK's service name, not its service id), so a preview can be
 *     compared with what a run actually called
 * @param operation the SDK operation name ({@code UpdateService})
 * @param iamActions the IAM actions the call needs ({@code ecs:UpdateService};
 *     {@code s3:GetObject} and {@code s3:PutObject} for one CopyObject)
 * @param arguments the call's main arguments (cluster, service, desired count...), secrets never
 * @param changes the resources the call changes, named as {@link ActionHandler#resources}; empty
 *     for reads
 */
public record PlannedCall(
        String service, String operation, List<String> iamActions, ObjectNode arguments, List<String> changes) {

    public PlannedCall {
        iamActions = List.copyOf(iamActions);
        changes = List.copyOf(changes);
    }

    /** A read: changes nothing. */
    public static PlannedCall read(String service, String operation, String iamAction, ObjectNode arguments) {
        return new PlannedCall(service, operation, List.of(iamAction), arguments, List.of());
    }

    /** A mutation of {@code resource}. */
    public static PlannedCall change(
            String service, String operation, String iamAction, ObjectNode arguments, String resource) {
        return new PlannedCall(service, operation, List.of(iamAction), arguments, List.of(resource));
    }

    public boolean mutates() {
        return !changes.isEmpty();
    }
}
