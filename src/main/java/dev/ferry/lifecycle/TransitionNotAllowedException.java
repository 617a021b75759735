package dev.ferry.lifecycle;

import dev.ferry.common.FerryException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An event the job's current state does not allow: the API's 409, naming the alternatives. */
public class TransitionNotAllowedException extends FerryException {

    private final JobState state;
    private final Set<LifecycleEvent> allowed;

    public TransitionNotAllowedException(JobState state, LifecycleEvent event, Set<LifecycleEvent> allowed) {
        super(
                "transition-not-allowed",
                409,
                "Transition not allowed",
                "A job in state " + state + " does not accept " + event.name().toLowerCase(Locale.ROOT)
                        + "; allowed now: " + (allowed.isEmpty() ? "nothing" : names(allowed)));
        this.state = state;
        this.allowed = allowed;
    }

    private static String names(Set<LifecycleEvent> events) {
        TreeSet<String> names = new TreeSet<>();
        events.forEach(e -> names.add(e.name().toLowerCase(Locale.ROOT)));
        return String.join(", ", names);
    }

    @Override
    public Map<String, Object> properties() {
        TreeSet<String> names = new TreeSet<>();
        allowed.forEach(e -> names.add(e.name().toLowerCase(Locale.ROOT)));
        return Map.of("currentState", state.name(), "allowedActions", names);
    }
}
