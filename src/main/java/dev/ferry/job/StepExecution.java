package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.lifecycle.StepStatus;
import dev.ferry.plan.Phase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * One step of one job: its status for people, and its place in the work queue for workers
 * ({@code next_run_at}, lease). {@code attemptStartedAt == null} means the next run starts a new
 * attempt; otherwise it continues (polls) the current one.
 */
@Entity
// Only changed columns are written. Besides sparing the four JSON columns, this is what keeps a lease
// renewal: the heartbeat extends lease_expires_at without a version bump (so it never fails a
// worker's result), and a full-row update from a change that read the row before would write the
// old expiry back.
// JSON values are replaced, never changed in place (@Mutability(Immutability)): Hibernate then keeps no
// deep copy of each to compare at flush (a serialize and parse per value, per load).
@DynamicUpdate
@Table(name = "step_execution")
public class StepExecution {

    /** The progress key whose value survives a failed attempt (see {@link dev.ferry.action.ActionContext}). */
    static final String MEMO = "memo";

    /** Where AWS handlers list the calls of an attempt so far, in progress and outputs ({@code aws.AwsAction}). */
    static final String CALLS = "awsCalls";

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "job_id")
    private MigrationJob job;

    private UUID phaseExecutionId;

    @Enumerated(EnumType.STRING)
    private Phase phase;

    private String stepId;
    private int ordinal;
    private String action;

    @Enumerated(EnumType.STRING)
    private StepStatus status;

    private int attempt;
    private int maxAttempts;
    private boolean irreversible;
    private Instant nextRunAt;
    private boolean urgent;
    private String leaseOwner;
    private long leaseToken;
    private Instant leaseExpiresAt;
    private Instant attemptStartedAt;
    private Instant startedAt;
    private Instant finishedAt;
    private Instant deadlineAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private JsonNode progress;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private JsonNode output;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private JsonNode error;

    private String message;
    private String skipReason;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private JsonNode compensationOutput;

    private Instant compensatedAt;

    @Version
    private Long version;

    protected StepExecution() {}

    StepExecution(
            MigrationJob job,
            PhaseExecution phase,
            String stepId,
            int ordinal,
            String action,
            int maxAttempts,
            boolean irreversible) {
        this.id = UUID.randomUUID();
        this.job = job;
        this.phaseExecutionId = phase.id();
        this.phase = phase.phase();
        this.stepId = stepId;
        this.ordinal = ordinal;
        this.action = action;
        this.status = StepStatus.PENDING;
        this.maxAttempts = maxAttempts;
        this.irreversible = irreversible;
    }

    /** Puts the step in the work queue; {@code pg_notify} tells workers (see {@link ReadyWork}). */
    void schedule(Instant at) {
        this.nextRunAt = at;
    }

    /**
     * Like {@link #schedule}, ahead of routine work: someone is waiting for this step (an
     * approver, or a rollback in progress). The claim clears the mark.
     */
    void scheduleUrgently(Instant at) {
        this.nextRunAt = at;
        this.urgent = true;
    }

    /**
     * Leases the step to {@code owner} without queueing it, as a claim would (a new token fences
     * any earlier holder): the worker that queued it runs it next.
     */
    void lease(String owner, Instant until) {
        nextRunAt = null;
        urgent = false;
        leaseOwner = owner;
        leaseToken++;
        leaseExpiresAt = until;
    }

    long leaseToken() {
        return leaseToken;
    }

    boolean isQueuedOrLeased() {
        return nextRunAt != null || leaseOwner != null;
    }

    boolean holdsLease(String owner, long token) {
        return owner.equals(leaseOwner) && leaseToken == token;
    }

    void releaseLease() {
        leaseOwner = null;
        leaseExpiresAt = null;
    }

    void beginAttempt(Instant now, Instant deadline) {
        if (status != StepStatus.COMPENSATING) {
            status = StepStatus.RUNNING;
        }
        attempt++;
        attemptStartedAt = now;
        deadlineAt = deadline;
        // Only what a handler captured before its side effects ("memo") outlives an attempt.
        progress = progress != null && progress.has(MEMO)
                ? JsonNodeFactory.instance.objectNode().set(MEMO, progress.get(MEMO))
                : null;
        message = null;
        if (startedAt == null) {
            startedAt = now;
        }
    }

    void succeed(JsonNode output, Instant now) {
        status = StepStatus.SUCCEEDED;
        this.output = output;
        this.error = null;
        this.progress = null;
        this.message = null;
        finishedAt = now;
        nextRunAt = null;
        releaseLease();
    }

    void progress(JsonNode progress, String message, Instant pollAt) {
        this.progress = progress;
        this.message = message;
        nextRunAt = pollAt;
        releaseLease();
    }

    /** Records a failed attempt; with {@code retryAt} another attempt follows, else the step is FAILED. */
    void failAttempt(JsonNode error, Instant retryAt, Instant now) {
        this.error = error;
        this.attemptStartedAt = null;
        this.nextRunAt = retryAt;
        if (retryAt == null && status != StepStatus.COMPENSATING) {
            status = StepStatus.FAILED;
            finishedAt = now;
        }
        releaseLease();
    }

    /** An operator's retry: back in the queue with a fresh budget of attempts. */
    void retry(int moreAttempts, Instant now) {
        status = StepStatus.PENDING;
        maxAttempts = attempt + moreAttempts;
        finishedAt = null;
        attemptStartedAt = null;
        nextRunAt = now;
    }

    /** The job ended (cancelled) while this step was under way: it will not be run again. */
    void abandon(JsonNode error, Instant now) {
        status = StepStatus.FAILED;
        this.error = withCallsSoFar(error, progress);
        finishedAt = now;
        nextRunAt = null;
        progress = null;
        releaseLease();
    }

    /**
     * An interrupted attempt's AWS calls stay on record: {@code error} with the calls {@code progress}
     * lists (unless it names its own).
     */
    static JsonNode withCallsSoFar(JsonNode error, JsonNode progress) {
        if (error instanceof ObjectNode detail && progress != null && progress.has(CALLS) && !detail.has(CALLS)) {
            ObjectNode copy = detail.deepCopy();
            copy.set(CALLS, progress.get(CALLS));
            return copy;
        }
        return error;
    }

    /** Queues this step's compensation, with a fresh budget of attempts. */
    void startCompensation(int attempts, Instant now) {
        status = StepStatus.COMPENSATING;
        maxAttempts = attempt + attempts;
        attemptStartedAt = null;
        progress = null;
        error = null;
        // A rollback is urgent: ahead of routine steps in the queue, and in the urgent lane.
        nextRunAt = now;
        urgent = true;
    }

    void compensated(JsonNode output, Instant now) {
        status = StepStatus.COMPENSATED;
        compensationOutput = output;
        compensatedAt = now;
        error = null;
        progress = null;
        nextRunAt = null;
        releaseLease();
    }

    /** A compensation that failed for good: it stays COMPENSATING, with the error, for an operator. */
    void compensationFailed(JsonNode error) {
        this.error = error;
        this.attemptStartedAt = null;
        nextRunAt = null;
        releaseLease();
    }

    void skip(String reason, Instant now) {
        status = StepStatus.SKIPPED;
        skipReason = reason;
        finishedAt = now;
        nextRunAt = null;
    }

    public UUID id() {
        return id;
    }

    public MigrationJob job() {
        return job;
    }

    public UUID phaseExecutionId() {
        return phaseExecutionId;
    }

    public Phase phase() {
        return phase;
    }

    public String stepId() {
        return stepId;
    }

    public int ordinal() {
        return ordinal;
    }

    public String action() {
        return action;
    }

    public StepStatus status() {
        return status;
    }

    public int attempt() {
        return attempt;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public boolean irreversible() {
        return irreversible;
    }

    public Instant nextRunAt() {
        return nextRunAt;
    }

    public String leaseOwner() {
        return leaseOwner;
    }

    public Instant attemptStartedAt() {
        return attemptStartedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public Instant deadlineAt() {
        return deadlineAt;
    }

    public JsonNode progress() {
        return progress;
    }

    public JsonNode output() {
        return output;
    }

    public JsonNode error() {
        return error;
    }

    public String message() {
        return message;
    }

    public String skipReason() {
        return skipReason;
    }

    public JsonNode compensationOutput() {
        return compensationOutput;
    }

    public Instant compensatedAt() {
        return compensatedAt;
    }
}
