package dev.ferry.plan;

import dev.ferry.common.FerryException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** No plan with that name (and version), or that id. */
public class PlanNotFoundException extends FerryException {

    private final Map<String, Object> properties;

    public PlanNotFoundException(String name, Integer version) {
        super(
                "plan-not-found",
                404,
                "Plan not found",
                version == null ? "no plan named '" + name + "'" : "no version " + version + " of plan '" + name + "'");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("plan", name);
        if (version != null) {
            props.put("version", version);
        }
        this.properties = Map.copyOf(props);
    }

    public PlanNotFoundException(UUID id) {
        super("plan-not-found", 404, "Plan not found", "no plan with id " + id);
        this.properties = Map.of("planId", id.toString());
    }

    @Override
    public Map<String, Object> properties() {
        return properties;
    }
}
