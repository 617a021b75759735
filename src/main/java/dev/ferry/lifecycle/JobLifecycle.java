package dev.ferry.lifecycle;

import java.util.Set;

/**
 * The job lifecycle as a pure transition table with guards (port; Spring Statemachine is one
 * implementation, kept in {@code lifecycle.statemachine}).
 *
 * <p>Contract: stateless and side-effect free. {@link #fire} neither reads nor writes storage; the
 * caller loads the job, fires, and persists the new state together with its audit event in one
 * transaction. Thread-safe.
 */
public interface JobLifecycle {

    /** What {@code event} does to a job in {@code state}, given the guard facts. */
    Transition fire(JobState state, LifecycleEvent event, GuardFacts facts);

    /** The commands (see {@link LifecycleEvent#isCommand()}) that would be accepted now. */
    Set<LifecycleEvent> allowedCommands(JobState state, GuardFacts facts);

    /** The transition table as a Mermaid {@code stateDiagram-v2}, generated from the configuration. */
    String mermaid();

    /** Fires and throws {@link TransitionNotAllowedException} unless accepted. */
    default Transition require(JobState state, LifecycleEvent event, GuardFacts facts) {
        Transition transition = fire(state, event, facts);
        if (!transition.accepted()) {
            throw new TransitionNotAllowedException(state, event, allowedCommands(state, facts));
        }
        return transition;
    }
}
