package dev.ferry.job;

import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Wakes WAITING jobs whose time has come (a timer, or another look at a busy resource). Timers
 * are rows, so they survive restarts; any replica may wake a job, the job's lock makes it once.
 */
@Component
public class JobTimers {

    private final JdbcTemplate jdbc;
    private final JobLocks locks;
    private final JobProgression progression;

    JobTimers(JdbcTemplate jdbc, JobLocks locks, JobProgression progression) {
        this.jdbc = jdbc;
        this.locks = locks;
        this.progression = progression;
    }

    /** Wakes the jobs due at {@code now}; returns how many. */
    public int wakeDue(Instant now) {
        List<UUID> due = jdbc.queryForList(
                "SELECT id FROM migration_job WHERE state = 'WAITING' AND wake_at <= ? " + "ORDER BY wake_at LIMIT 50",
                UUID.class,
                Timestamp.from(now));
        for (UUID id : due) {
            locks.change(id, change -> {
                MigrationJob job = change.job();
                if (job.state() == JobState.WAITING
                        && job.wakeAt() != null
                        && !job.wakeAt().isAfter(change.now())) {
                    change.transition(
                            LifecycleEvent.WAKE,
                            JobEventDraft.of(JobEventType.JOB_WOKEN, Actor.SYSTEM.name())
                                    .detail(job.waitingFor()));
                    progression.advance(change);
                }
                return null;
            });
        }
        return due.size();
    }

    /** When the next waiting job is due, if any. */
    public Optional<Instant> nextWake() {
        Timestamp next =
                jdbc.queryForObject("SELECT min(wake_at) FROM migration_job WHERE state = 'WAITING'", Timestamp.class);
        return Optional.ofNullable(next).map(Timestamp::toInstant);
    }
}
