package dev.ferry.lifecycle;

/**
 * The outcome of firing an event.
 *
 * @param accepted the lifecycle has a transition for the event in {@code from} and its guard held
 */
public record Transition(JobState from, LifecycleEvent event, JobState to, boolean accepted) {

    public boolean changed() {
        return accepted && from != to;
    }
}
