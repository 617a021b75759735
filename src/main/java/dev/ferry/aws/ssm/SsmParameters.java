package dev.ferry.aws.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;

/** Reads of Parameter Store that {@link PutParameterAction} needs: current value, a past version, metadata. */
final class SsmParameters {

    private SsmParameters() {}

    /** The parameter (decrypted), at {@code version} if given; null if it does not exist. */
    static Parameter find(SsmClient ssm, String name, Long version) {
        String selector = version == null ? name : name + ":" + version;
        try {
            return ssm.getParameter(r -> r.name(selector).withDecryption(true)).parameter();
        } catch (ParameterNotFoundException | ParameterVersionNotFoundException e) {
            return null;
        }
    }

    static ParameterMetadata metadata(SsmClient ssm, String name) {
        return ssm
                .describeParameters(r -> r.parameterFilters(ParameterStringFilter.builder()
                        .key("Name")
                        .option("Equals")
                        .values(name)
                        .build()))
                .parameters()
                .stream()
                .findFirst()
                .orElse(null);
    }

    /** What the memo keeps: existence, type, version, KMS key, and the value only when it is not secret. */
    static ObjectNode snapshot(SsmClient ssm, Parameter current) {
        ObjectNode memo = JsonNodeFactory.instance.objectNode().put("previousExists", current != null);
        if (current == null) {
            return memo;
        }
        memo.put("previousType", current.typeAsString()).put("previousVersion", current.version());
        if (current.type() == ParameterType.SECURE_STRING) {
            ParameterMetadata metadata = metadata(ssm, current.name());
            memo.put("previousKeyId", metadata == null ? null : metadata.keyId());
        } else {
            memo.put("previousValue", current.value());
        }
        return memo;
    }

    /** The memo's fields, safe for output (the snapshot already left secret values out). */
    static ObjectNode visible(JsonNode memo) {
        ObjectNode visible = memo.deepCopy();
        visible.remove("lastAwsCalls");
        return visible;
    }
}
