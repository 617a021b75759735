package dev.ferry.rollback;

import dev.ferry.common.FerryException;
import java.util.Map;

/** Past the point of no return: an irreversible step has started, so there is nothing to go back to. */
public class RollbackUnavailableException extends FerryException {

    private final String step;

    public RollbackUnavailableException(String step) {
        super(
                "rollback-unavailable",
                409,
                "Rollback unavailable",
                "Step '" + step + "' is irreversible and has started: the job can no longer be rolled back");
        this.step = step;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("irreversibleStep", step);
    }
}
