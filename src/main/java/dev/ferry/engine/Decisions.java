package dev.ferry.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the {@link Decider} decided for one input: changes to apply in order, then the inputs to
 * decide next on the changed job (e.g. a finished step, then {@link Input.Advance}).
 */
public record Decisions(List<Decision> changes, List<Input> then) {

    public Decisions {
        changes = List.copyOf(changes);
        then = List.copyOf(then);
    }

    public static Decisions none() {
        return new Decisions(List.of(), List.of());
    }

    /** The step the worker is to call, when the decider let it. */
    public Optional<Decision.Call> call() {
        return changes.stream()
                .filter(Decision.Call.class::isInstance)
                .map(Decision.Call.class::cast)
                .findFirst();
    }

    /** Collects decisions in order. */
    static final class Builder {

        private final List<Decision> changes = new ArrayList<>();
        private final List<Input> then = new ArrayList<>();

        Builder add(Decision decision) {
            changes.add(decision);
            return this;
        }

        Builder then(Input input) {
            then.add(input);
            return this;
        }

        Decisions build() {
            return new Decisions(changes, then);
        }
    }
}
