package dev.ferry.aws.route53;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Record sets as JSON (the shape steps take as parameters and keep in memos and outputs) and the
 * lookups of the record sets that share a name and type.
 */
final class RecordSets {

    private RecordSets() {}

    /** Route 53 answers names fully qualified and in lower case. */
    static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    /** Every record set named {@code name} of {@code type}, e.g. all the weighted ones. */
    static List<ResourceRecordSet> list(Route53Client route53, String zone, String name, String type) {
        String wanted = normalize(name);
        List<ResourceRecordSet> found = new ArrayList<>();
        for (ResourceRecordSet set : route53.listResourceRecordSetsPaginator(
                        r -> r.hostedZoneId(zone).startRecordName(wanted).startRecordType(type))
                .resourceRecordSets()) {
            if (!normalize(set.name()).equals(wanted) || !set.typeAsString().equals(type)) {
                break;
            }
            found.add(set);
        }
        return found;
    }

    static Optional<ResourceRecordSet> find(
            Route53Client route53, String zone, String name, String type, String setIdentifier) {
        return list(route53, zone, name, type).stream()
                .filter(s -> Objects.equals(s.setIdentifier(), setIdentifier))
                .findFirst();
    }

    static ObjectNode toJson(ResourceRecordSet set) {
        ObjectNode json =
                JsonNodeFactory.instance.objectNode().put("name", set.name()).put("type", set.typeAsString());
        if (set.ttl() != null) {
            json.put("ttl", set.ttl());
        }
        if (set.hasResourceRecords()) {
            set.resourceRecords().forEach(r -> json.withArray("values").add(r.value()));
        }
        if (set.aliasTarget() != null) {
            json.putObject("aliasTarget")
                    .put("hostedZoneId", set.aliasTarget().hostedZoneId())
                    .put("dnsName", set.aliasTarget().dnsName())
                    .put("evaluateTargetHealth", set.aliasTarget().evaluateTargetHealth());
        }
        putIfSet(json, "setIdentifier", set.setIdentifier());
        if (set.weight() != null) {
            json.put("weight", set.weight());
        }
        putIfSet(json, "region", set.regionAsString());
        putIfSet(json, "failover", set.failoverAsString());
        putIfSet(json, "healthCheckId", set.healthCheckId());
        if (set.multiValueAnswer() != null) {
            json.put("multiValueAnswer", set.multiValueAnswer());
        }
        return json;
    }

    static ResourceRecordSet fromJson(JsonNode json) {
        ResourceRecordSet.Builder set = ResourceRecordSet.builder()
                .name(json.path("name").asText())
                .type(json.path("type").asText())
                .setIdentifier(text(json, "setIdentifier"))
                .region(text(json, "region"))
                .failover(text(json, "failover"))
                .healthCheckId(text(json, "healthCheckId"));
        if (json.has("ttl")) {
            set.ttl(json.get("ttl").asLong());
        }
        if (json.has("values")) {
            List<ResourceRecord> values = new ArrayList<>();
            json.get("values")
                    .forEach(v -> values.add(
                            ResourceRecord.builder().value(v.asText()).build()));
            set.resourceRecords(values);
        }
        JsonNode alias = json.path("aliasTarget");
        if (alias.isObject()) {
            set.aliasTarget(a -> a.hostedZoneId(alias.path("hostedZoneId").asText())
                    .dnsName(alias.path("dnsName").asText())
                    .evaluateTargetHealth(alias.path("evaluateTargetHealth").asBoolean(false)));
        }
        if (json.has("weight")) {
            set.weight(json.get("weight").asLong());
        }
        if (json.has("multiValueAnswer")) {
            set.multiValueAnswer(json.get("multiValueAnswer").asBoolean());
        }
        return set.build();
    }

    private static String text(JsonNode json, String field) {
        return json.hasNonNull(field) ? json.get(field).asText() : null;
    }

    private static void putIfSet(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
