package dev.ferry.job;

import dev.ferry.common.FerryException;
import java.util.Map;
import java.util.UUID;

/** The same {@code Idempotency-Key} came back with a different request. */
public class IdempotencyKeyReusedException extends FerryException {

    private final UUID jobId;

    public IdempotencyKeyReusedException(String key, UUID jobId) {
        super(
                "idempotency-key-reused",
                422,
                "Idempotency key reused",
                "Idempotency-Key '" + key + "' was already used for a different request (job " + jobId + ")");
        this.jobId = jobId;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("jobId", jobId.toString());
    }
}
