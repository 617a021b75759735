package dev.ferry.aws.rds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.AwsAction;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import java.util.List;
import software.amazon.awssdk.services.rds.RdsClient;

/** An action on an existing RDS instance ({@code dbInstanceIdentifier}): preflight checks it is available. */
abstract class InstanceAction extends AwsAction {

    InstanceAction(String name, AwsClients clients, AwsProperties properties) {
        super(name, clients, properties);
    }

    @Override
    protected final List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        if (unresolved(with.path("dbInstanceIdentifier"))) {
            return List.of();
        }
        return List.of(RdsSupport.inspectInstance(
                clients.client("rds", RdsClient::builder, target),
                with.get("dbInstanceIdentifier").asText()));
    }
}
