package dev.ferry.plan;

import dev.ferry.common.FerryException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Job parameters that do not fit the plan's declarations; carries every problem found. */
public class InvalidParametersException extends FerryException {

    private final List<PlanProblem> errors;

    public InvalidParametersException(List<PlanProblem> errors) {
        super(
                "invalid-parameters",
                400,
                "Invalid job parameters",
                errors.stream().map(p -> p.location() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<PlanProblem> errors() {
        return errors;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("errors", errors);
    }
}
