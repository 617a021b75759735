package dev.ferry.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.Phase;
import java.time.Duration;
import java.time.Instant;

/** One change the {@link Decider} asks for; a writer applies them in order, in one transaction. */
public sealed interface Decision {

    /** Appends an event to the job's timeline. */
    record Record(JobEventDraft event) implements Decision {}

    /** Fires a lifecycle event the decider found accepted; its event is recorded with from→to. */
    record Transition(LifecycleEvent event, JobEventDraft draft) implements Decision {}

    record CurrentPhase(Phase phase) implements Decision {}

    /** The job waits (state WAITING comes with the transition that follows) until {@code at}. */
    record WaitUntil(Instant at, ObjectNode waitingFor) implements Decision {}

    /** Takes the job's AWS resource locks, or makes it wait for their holder (needs storage: the writer does it). */
    record LockResources() implements Decision {}

    record LastError(String message) implements Decision {}

    record PhaseStatusChange(Phase phase, PhaseStatus status) implements Decision {}

    /** Opens a new approval round. */
    record RequestApproval(Phase phase) implements Decision {}

    record EarliestStart(Phase phase, Instant at) implements Decision {}

    /** The worker goes on to call the step's action ({@code undo}: its compensation). */
    record Call(String stepId, boolean undo) implements Decision {}

    /** Hands a claimed step back without calling it; progression queues it again when the job may run. */
    record ReleaseLease(String stepId) implements Decision {}

    record BeginAttempt(String stepId, Instant deadline) implements Decision {}

    record Succeed(String stepId, ObjectNode output) implements Decision {}

    record Compensated(String stepId, ObjectNode output) implements Decision {}

    /** Not done yet: poll again at {@code at}. */
    record Poll(String stepId, ObjectNode progress, String message, Instant at) implements Decision {}

    /** The step stops for good where it is; {@code latest}: progress newer than the stored one, or null. */
    record Abandon(String stepId, JsonNode error, JsonNode latest) implements Decision {}

    /** A failed attempt; with {@code retryAt} another follows, else the step is FAILED. */
    record FailAttempt(String stepId, ObjectNode error, Instant retryAt) implements Decision {}

    record CompensationFailed(String stepId, ObjectNode error) implements Decision {}

    record Skip(String stepId, String reason) implements Decision {}

    /** Puts the step in the work queue ({@code urgent}: ahead of routine work). */
    record Queue(String stepId, boolean urgent) implements Decision {}

    /** Queues the step's compensation with a fresh budget of {@code attempts}. */
    record StartCompensation(String stepId, int attempts) implements Decision {}

    /** Metrics: a step finished ({@code outcome}: succeeded, failed). */
    record StepMeasured(Phase phase, String action, String outcome, Duration took) implements Decision {}

    /** Metrics: a phase finished ({@code outcome}: succeeded, failed, compensated). */
    record PhaseMeasured(Phase phase, String outcome, Duration took) implements Decision {}

    record ApprovalWaited(Phase phase, Duration waited) implements Decision {}

    record RollbackStarted(String trigger) implements Decision {}
}
