package dev.ferry.job;

import dev.ferry.common.FerryException;
import dev.ferry.lifecycle.JobState;
import java.util.Map;
import java.util.UUID;

/**
 * A job that has ended keeps the history it ended with: nothing more joins its audit chain, so a
 * head recorded at the end stays the head (V31 refuses it in the database as well).
 */
public class JobHistoryClosedException extends FerryException {

    private final JobState state;

    public JobHistoryClosedException(UUID jobId, JobState state) {
        super(
                "job-history-closed",
                409,
                "Job history closed",
                "job " + jobId + " is " + state + ": its history is closed and nothing more is recorded for it");
        this.state = state;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("state", state.name());
    }
}
