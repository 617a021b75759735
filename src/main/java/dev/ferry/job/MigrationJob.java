package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.Transition;
import dev.ferry.plan.Phase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/** A migration job: one run of one plan version, with its phases and steps (the aggregate root). */
@Entity
@Table(name = "migration_job")
public class MigrationJob {

    @Id
    private UUID id;

    private String name;

    @Column(name = "plan_id")
    private UUID planId;

    @Enumerated(EnumType.STRING)
    private JobState state;

    @Enumerated(EnumType.STRING)
    private Phase currentPhase;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private JsonNode parameters;

    private String createdBy;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant startedAt;
    private Instant finishedAt;
    private String lastError;
    private long lastEventSeq;

    /** The last event's seq and hash (V5, V26): moved with every event, checked by the database at commit. */
    private long auditHeadSeq;

    private byte[] auditHeadHash = new byte[32];
    private Instant wakeAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private JsonNode waitingFor;

    private Instant resourcesLockedAt;

    /** Run against staging to measure how long each phase takes; see {@code dev.ferry.rehearsal}. */
    private boolean rehearsal;

    @Version
    private Long version;

    @OneToMany(mappedBy = "job", cascade = CascadeType.ALL)
    @OrderBy("ordinal")
    private List<PhaseExecution> phases = new ArrayList<>();

    @OneToMany(mappedBy = "job", cascade = CascadeType.ALL)
    @OrderBy("ordinal")
    private List<StepExecution> steps = new ArrayList<>();

    protected MigrationJob() {}

    MigrationJob(UUID id, String name, UUID planId, JsonNode parameters, String createdBy, Instant now) {
        this.id = id;
        this.name = name;
        this.planId = planId;
        this.parameters = parameters;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
        this.state = JobState.CREATED;
    }

    void markRehearsal() {
        this.rehearsal = true;
    }

    public boolean rehearsal() {
        return rehearsal;
    }

    byte[] auditHeadHash() {
        return auditHeadHash;
    }

    void auditHead(long seq, byte[] hash) {
        this.auditHeadSeq = seq;
        this.auditHeadHash = hash;
    }

    /** Allocates the next audit sequence number; only called under the job's row lock. */
    long nextEventSeq() {
        return ++lastEventSeq;
    }

    void apply(Transition transition, Instant now) {
        this.state = transition.to();
        if (transition.to() != JobState.WAITING) {
            wakeAt = null;
            waitingFor = null;
        }
        this.updatedAt = now;
        if (transition.to() == JobState.RUNNING && startedAt == null) {
            startedAt = now;
        }
        if (transition.to().isTerminal()) {
            finishedAt = now;
        }
    }

    void touch(Instant now) {
        this.updatedAt = now;
    }

    void waitUntil(Instant wakeAt, JsonNode waitingFor) {
        this.wakeAt = wakeAt;
        this.waitingFor = waitingFor;
    }

    void resourcesLocked(Instant at) {
        this.resourcesLockedAt = at;
    }

    void currentPhase(Phase phase) {
        this.currentPhase = phase;
    }

    void lastError(String error) {
        this.lastError = error;
    }

    public Optional<PhaseExecution> phase(Phase phase) {
        return phases.stream().filter(p -> p.phase() == phase).findFirst();
    }

    public Optional<StepExecution> step(String stepId) {
        return steps.stream().filter(s -> s.stepId().equals(stepId)).findFirst();
    }

    /** The outputs of the steps that have one, by step id in plan order: what templates refer to. */
    public Map<String, JsonNode> stepOutputs() {
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        for (StepExecution step : steps) {
            if (step.output() != null) {
                outputs.put(step.stepId(), step.output());
            }
        }
        return outputs;
    }

    public List<StepExecution> stepsOf(Phase phase) {
        return steps.stream().filter(s -> s.phase() == phase).toList();
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public UUID planId() {
        return planId;
    }

    public JobState state() {
        return state;
    }

    public Phase currentPhase() {
        return currentPhase;
    }

    public JsonNode parameters() {
        return parameters;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public String lastError() {
        return lastError;
    }

    public Instant wakeAt() {
        return wakeAt;
    }

    public JsonNode waitingFor() {
        return waitingFor;
    }

    public Instant resourcesLockedAt() {
        return resourcesLockedAt;
    }

    public long lastEventSeq() {
        return lastEventSeq;
    }

    public long version() {
        return version == null ? 0 : version;
    }

    public List<PhaseExecution> phases() {
        return phases;
    }

    public List<StepExecution> steps() {
        return steps;
    }
}
