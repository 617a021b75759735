package dev.ferry.campaign;

import dev.ferry.common.FerryException;
import dev.ferry.plan.PlanProblem;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A campaign request whose targets or waves do not add up; carries every problem found. */
public class CampaignInvalidException extends FerryException {

    private final List<PlanProblem> errors;

    public CampaignInvalidException(List<PlanProblem> errors) {
        super(
                "campaign-invalid",
                400,
                "Campaign invalid",
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
