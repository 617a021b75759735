package dev.ferry.job;

import dev.ferry.audit.AuditTrail;
import dev.ferry.lifecycle.JobLifecycle;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every change to a job goes through {@link #change}: one transaction that locks the job row
 * ({@code SELECT ... FOR UPDATE}), applies the change, and commits state and audit together. The
 * job is read and written in plain JDBC ({@link JobRows}); JPA only creates jobs.
 * A step row can still be touched concurrently by a worker's claim (which does not take the job
 * lock); the row versions catch that (or PostgreSQL, as a deadlock) and the change is retried on
 * a fresh read.
 */
@Component
public class JobLocks {

    private static final int ATTEMPTS = 3;

    /** Translates what a flush throws as the transaction manager does at commit (deadlocks included). */
    private static final HibernateJpaDialect JPA = new HibernateJpaDialect();

    private final JobRows rows;
    private final EntityManager entityManager;
    private final TransactionTemplate transactions;
    private final JobLifecycle lifecycle;
    private final AuditTrail audit;
    private final ApprovalQuorum quorum;
    private final ResourceLocks resourceLocks;
    private final Clock clock;
    private final ObjectProvider<JobEventListener> listeners;

    /** Resolved on first use (a provider breaks the cycle with listeners that change jobs). */
    private volatile List<JobEventListener> resolvedListeners;

    JobLocks(
            JobRows rows,
            EntityManager entityManager,
            PlatformTransactionManager transactionManager,
            JobLifecycle lifecycle,
            AuditTrail audit,
            ApprovalQuorum quorum,
            ResourceLocks resourceLocks,
            Clock clock,
            ObjectProvider<JobEventListener> listeners) {
        this.rows = rows;
        this.entityManager = entityManager;
        this.transactions = new TransactionTemplate(transactionManager);
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.quorum = quorum;
        this.resourceLocks = resourceLocks;
        this.clock = clock;
        this.listeners = listeners;
    }

    public <T> T change(UUID jobId, Function<JobChange, T> change) {
        return change(jobId, change, null).result();
    }

    /** What a change returned, and the view of the job it left (null when none was asked for). */
    public record Changed<T, V>(T result, V view) {}

    /**
     * Like {@link #change}, then views the job as the change leaves it, in the same transaction:
     * after its writes, before its commit. A command's response needs no second read of the job.
     */
    public <T, V> Changed<T, V> change(UUID jobId, Function<JobChange, T> change, Function<JobSnapshot, V> view) {
        // Log lines written while changing a job name it (the workers add the phase and step).
        String outer = MDC.get("job_id");
        MDC.put("job_id", jobId.toString());
        try {
            return changeLocked(jobId, change, view);
        } finally {
            if (outer == null) {
                MDC.remove("job_id");
            } else {
                MDC.put("job_id", outer);
            }
        }
    }

    private <T, V> Changed<T, V> changeLocked(
            UUID jobId, Function<JobChange, T> change, Function<JobSnapshot, V> view) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> {
                    JobRows.Loaded loaded = rows.lock(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
                    MigrationJob job = loaded.job();
                    JobChange locked =
                            new JobChange(job, clock.instant(), lifecycle, audit, quorum, resourceLocks, listeners());
                    T result = change.apply(locked);
                    locked.writeEvents();
                    // The job row is updated by every change, even one that wrote only a step or a
                    // phase: its update bumps view_version (V27), which the view's ETag reads.
                    job.touch(locked.now());
                    rows.write(loaded);
                    if (view == null) {
                        return new Changed<T, V>(result, null);
                    }
                    // What the change stored through JPA (approvals) is written first too, so that
                    // the view's reads see it.
                    flush();
                    return new Changed<>(result, view.apply(locked.snapshot()));
                });
            } catch (ConcurrencyFailureException e) {
                // A version conflict, or a deadlock with a claim: a claim's trigger takes the job's
                // row after the step's (V27), the opposite order of a change here.
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** As at commit, a conflict found here is Spring's exception, so the change is retried. */
    private void flush() {
        try {
            entityManager.flush();
        } catch (RuntimeException e) {
            RuntimeException translated = JPA.translateExceptionIfPossible(e);
            throw translated == null ? e : translated;
        }
    }

    private List<JobEventListener> listeners() {
        List<JobEventListener> resolved = resolvedListeners;
        if (resolved == null) {
            // Resolving the provider's stream per event was a tenth of a worker's CPU.
            resolved = listeners.orderedStream().toList();
            resolvedListeners = resolved;
        }
        return resolved;
    }

    /** Stores a new job and lets {@code change} set it up, in one transaction. */
    <T> T create(MigrationJob job, Function<JobChange, T> change) {
        return transactions.execute(status -> {
            // persist, not save: the caller keeps working on this very instance.
            entityManager.persist(job);
            // Written now: its events are inserted with JDBC, which Hibernate does not order after it.
            entityManager.flush();
            JobChange created =
                    new JobChange(job, clock.instant(), lifecycle, audit, quorum, resourceLocks, listeners());
            T result = change.apply(created);
            created.writeEvents();
            return result;
        });
    }
}
