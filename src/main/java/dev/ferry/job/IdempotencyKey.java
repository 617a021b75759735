package dev.ferry.job;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A caller's {@code Idempotency-Key} and the job it created; the primary key makes reuse safe. */
@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyKey.Key.class)
class IdempotencyKey {

    @Id
    private String actor;

    @Id
    private String key;

    /** {@code hmac-sha256:<hex>} ({@link RequestHashing}); bare hex in rows from before it was keyed. */
    private String requestHash;

    private UUID jobId;
    private Instant createdAt;

    protected IdempotencyKey() {}

    IdempotencyKey(String actor, String key, String requestHash, UUID jobId, Instant createdAt) {
        this.actor = actor;
        this.key = key;
        this.requestHash = requestHash;
        this.jobId = jobId;
        this.createdAt = createdAt;
    }

    String requestHash() {
        return requestHash;
    }

    UUID jobId() {
        return jobId;
    }

    record Key(String actor, String key) implements Serializable {
        // JPA needs a no-arg constructor for id classes.
        Key() {
            this(null, null);
        }
    }
}
