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

    private String requestSha256;
    private UUID jobId;
    private Instant createdAt;

    protected IdempotencyKey() {
    }

    IdempotencyKey(String actor, String key, String requestSha256, UUID jobId, Instant createdAt) {
        this.actor = actor;
        this.key = key;
        this.requestSha256 = requestSha256;
        this.jobId = jobId;
        this.createdAt = createdAt;
    }

    String requestSha256() {
        return requestSha256;
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
