package dev.ferry.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Checks a step's parameters against its handler's schema; compiled schemas are kept per handler. */
@Component
public class ParameterSchemas {

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    /** Every violation, sorted by location; empty when the parameters are valid. */
    public List<ValidationMessage> validate(ActionHandler handler, JsonNode parameters) {
        JsonSchema schema = compiled.computeIfAbsent(handler.name(), n -> factory.getSchema(handler.parameterSchema()));
        return schema.validate(parameters).stream()
                .sorted(Comparator.comparing(m -> String.valueOf(m.getInstanceLocation())))
                .toList();
    }
}
