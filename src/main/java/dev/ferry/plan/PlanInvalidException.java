package dev.ferry.plan;

import dev.ferry.common.FerryException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A plan document that cannot be registered or run; carries every problem found, not just the first. */
public class PlanInvalidException extends FerryException {

    private final List<PlanProblem> errors;

    public PlanInvalidException(List<PlanProblem> errors) {
        super("plan-invalid", 400, "Invalid plan", summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<PlanProblem> errors() {
        return errors;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("errors", errors);
    }

    private static String summary(List<PlanProblem> errors) {
        return errors.size()
                + (errors.size() == 1 ? " problem: " : " problems: ")
                + errors.stream().map(p -> p.location() + ": " + p.message()).collect(Collectors.joining("; "));
    }
}
