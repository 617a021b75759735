package dev.ferry.lifecycle.statemachine;

import static dev.ferry.lifecycle.JobState.AWAITING_APPROVAL;
import static dev.ferry.lifecycle.JobState.CANCELLED;
import static dev.ferry.lifecycle.JobState.CREATED;
import static dev.ferry.lifecycle.JobState.FAILED;
import static dev.ferry.lifecycle.JobState.PAUSED;
import static dev.ferry.lifecycle.JobState.ROLLED_BACK;
import static dev.ferry.lifecycle.JobState.ROLLING_BACK;
import static dev.ferry.lifecycle.JobState.RUNNING;
import static dev.ferry.lifecycle.JobState.SUCCEEDED;
import static dev.ferry.lifecycle.JobState.WAITING;

import dev.ferry.lifecycle.GuardFacts;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.statemachine.StateContext;
import org.springframework.statemachine.StateMachine;
import org.springframework.statemachine.config.StateMachineBuilder;
import org.springframework.statemachine.config.configurers.ExternalTransitionConfigurer;
import org.springframework.statemachine.guard.Guard;

/** The one place the job lifecycle's states, transitions and guards are declared. */
final class JobStateMachineDefinition {

    /** The message header carrying {@link GuardFacts} to the guards. */
    static final String FACTS = "ferry.facts";

    static final NamedGuard QUORUM = new NamedGuard("quorum reached", GuardFacts::approvalQuorumReached);
    static final NamedGuard NOTHING_STARTED = new NamedGuard("no step started", f -> !f.anyStepStarted());
    static final NamedGuard SOMETHING_STARTED = new NamedGuard("a step started", GuardFacts::anyStepStarted);
    static final NamedGuard FAILED_STEP = new NamedGuard("a step failed", GuardFacts::failedStepPresent);
    static final NamedGuard NO_FAILED_STEP = new NamedGuard("no failed step", f -> !f.failedStepPresent());
    static final NamedGuard ROLLBACK_AVAILABLE = new NamedGuard("rollback available", GuardFacts::rollbackAvailable);

    private static final Set<JobState> ACTIVE = EnumSet.of(RUNNING, AWAITING_APPROVAL, WAITING, PAUSED);

    private JobStateMachineDefinition() {}

    /** The transition table: every row is one external transition. */
    static final List<Row> ROWS = rows();

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(CREATED, LifecycleEvent.START, RUNNING, null));
        rows.add(new Row(RUNNING, LifecycleEvent.AWAIT_APPROVAL, AWAITING_APPROVAL, null));
        rows.add(new Row(AWAITING_APPROVAL, LifecycleEvent.APPROVE, RUNNING, QUORUM));
        // A rejection before anything ran ends the job; after, an operator decides what to undo.
        rows.add(new Row(AWAITING_APPROVAL, LifecycleEvent.REJECT, CANCELLED, NOTHING_STARTED));
        rows.add(new Row(AWAITING_APPROVAL, LifecycleEvent.REJECT, PAUSED, SOMETHING_STARTED));
        rows.add(new Row(RUNNING, LifecycleEvent.WAIT, WAITING, null));
        rows.add(new Row(WAITING, LifecycleEvent.WAKE, RUNNING, null));
        rows.add(new Row(RUNNING, LifecycleEvent.STEP_FAILED, PAUSED, null));
        rows.add(new Row(RUNNING, LifecycleEvent.COMPLETE, SUCCEEDED, null));
        for (JobState from : EnumSet.of(RUNNING, AWAITING_APPROVAL, WAITING)) {
            rows.add(new Row(from, LifecycleEvent.PAUSE, PAUSED, null));
        }
        rows.add(new Row(PAUSED, LifecycleEvent.RESUME, RUNNING, NO_FAILED_STEP));
        rows.add(new Row(PAUSED, LifecycleEvent.RETRY, RUNNING, FAILED_STEP));
        rows.add(new Row(PAUSED, LifecycleEvent.SKIP_STEP, RUNNING, FAILED_STEP));
        rows.add(new Row(CREATED, LifecycleEvent.CANCEL, CANCELLED, null));
        for (JobState from : ACTIVE) {
            rows.add(new Row(from, LifecycleEvent.CANCEL, CANCELLED, null));
            rows.add(new Row(from, LifecycleEvent.ROLLBACK, ROLLING_BACK, ROLLBACK_AVAILABLE));
        }
        rows.add(new Row(ROLLING_BACK, LifecycleEvent.ROLLBACK_COMPLETED, ROLLED_BACK, null));
        return List.copyOf(rows);
    }

    static StateMachine<JobState, LifecycleEvent> build() {
        try {
            StateMachineBuilder.Builder<JobState, LifecycleEvent> builder = StateMachineBuilder.builder();
            builder.configureConfiguration()
                    .withConfiguration()
                    .autoStartup(false)
                    .machineId("job");
            builder.configureStates()
                    .withStates()
                    .initial(CREATED)
                    .states(EnumSet.allOf(JobState.class))
                    .end(SUCCEEDED)
                    .end(ROLLED_BACK)
                    .end(FAILED)
                    .end(CANCELLED);
            for (Row row : ROWS) {
                ExternalTransitionConfigurer<JobState, LifecycleEvent> transition = builder.configureTransitions()
                        .withExternal()
                        .source(row.from())
                        .target(row.to())
                        .event(row.event());
                if (row.guard() != null) {
                    transition.guard(row.guard());
                }
            }
            return builder.build();
        } catch (Exception e) {
            throw new IllegalStateException("job lifecycle definition is invalid", e);
        }
    }

    /** The guard of a declared transition, if it has one. */
    static Optional<NamedGuard> guardOf(JobState from, LifecycleEvent event, JobState to) {
        return ROWS.stream()
                .filter(r -> r.from() == from && r.event() == event && r.to() == to && r.guard() != null)
                .map(Row::guard)
                .findFirst();
    }

    record Row(JobState from, LifecycleEvent event, JobState to, NamedGuard guard) {}

    /** A guard reading {@link GuardFacts}, with a name the diagram can print. */
    record NamedGuard(String name, Predicate<GuardFacts> test) implements Guard<JobState, LifecycleEvent> {

        @Override
        public boolean evaluate(StateContext<JobState, LifecycleEvent> context) {
            Object facts = context.getMessageHeader(FACTS);
            return facts instanceof GuardFacts f && test.test(f);
        }
    }
}
