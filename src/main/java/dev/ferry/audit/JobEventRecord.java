package dev.ferry.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.plan.Phase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/** One stored entry of a job's timeline. Append-only: never updated, never deleted. */
@Entity
@Immutable
@Table(name = "job_event")
public class JobEventRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private UUID jobId;
    private long seq;
    private Instant at;
    private String actor;

    @Enumerated(EnumType.STRING)
    private JobEventType type;

    @Enumerated(EnumType.STRING)
    private Phase phase;

    private String stepId;

    @Column(name = "from_state")
    private String from;

    @Column(name = "to_state")
    private String to;

    private String reason;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private JsonNode detail;

    protected JobEventRecord() {}

    public UUID jobId() {
        return jobId;
    }

    public long seq() {
        return seq;
    }

    public Instant at() {
        return at;
    }

    public String actor() {
        return actor;
    }

    public JobEventType type() {
        return type;
    }

    public Phase phase() {
        return phase;
    }

    public String stepId() {
        return stepId;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    public String reason() {
        return reason;
    }

    public JsonNode detail() {
        return detail;
    }
}
