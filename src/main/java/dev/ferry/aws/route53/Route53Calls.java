package dev.ferry.aws.route53;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.PlannedCall;
import java.util.List;

/** The calls of a record change as both Route 53 actions make them: read, change, await INSYNC. */
final class Route53Calls {

    private Route53Calls() {}

    static List<PlannedCall> readChangeAwait(JsonNode with, String resource) {
        ObjectNode where = JsonNodeFactory.instance
                .objectNode()
                .put("hostedZoneId", with.path("hostedZoneId").asText())
                .put("name", with.path("name").asText())
                .put("type", with.path("type").asText());
        return List.of(
                PlannedCall.read("Route53", "ListResourceRecordSets", "route53:ListResourceRecordSets", where),
                PlannedCall.change(
                        "Route53",
                        "ChangeResourceRecordSets",
                        "route53:ChangeResourceRecordSets",
                        where.deepCopy(),
                        resource),
                PlannedCall.read("Route53", "GetChange", "route53:GetChange", JsonNodeFactory.instance.objectNode()));
    }
}
