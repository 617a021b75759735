package dev.ferry.job;

import dev.ferry.audit.JobEventDraft;
import java.time.Instant;

/**
 * Told of every event appended to a job's timeline (port; notifications implement it).
 *
 * <p>Contract: called inside the transaction that appends the event, while it holds the job's row
 * lock, after the job's state for this event has been applied; whatever the listener writes
 * commits or rolls back with the event. It must not call {@link JobLocks}, do network I/O or keep
 * the job; a throw rolls the whole change back.
 */
public interface JobEventListener {

    void recorded(MigrationJob job, long seq, Instant at, JobEventDraft draft);
}
