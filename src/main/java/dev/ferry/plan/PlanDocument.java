package dev.ferry.plan;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A parsed and validated plan: parameters, and what each phase runs. Phases a document does not
 * list are present here with no steps and no approval.
 */
public record PlanDocument(
        String name, String description, List<ParameterSpec> parameters, Map<Phase, PhaseSpec> phases) {

    public PlanDocument {
        parameters = List.copyOf(parameters);
        EnumMap<Phase, PhaseSpec> all = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            all.put(phase, phases.getOrDefault(phase, PhaseSpec.EMPTY));
        }
        phases = Collections.unmodifiableMap(all);
    }

    public PhaseSpec phase(Phase phase) {
        return phases.get(phase);
    }

    public Optional<ParameterSpec> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The step with this id, in whichever phase it is. */
    public Optional<StepSpec> step(String id) {
        return steps().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Every step of the plan in execution order. */
    public Stream<StepSpec> steps() {
        return phases.values().stream().flatMap(p -> p.steps().stream());
    }
}
