package dev.ferry.execution;

import dev.ferry.job.ReadyWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link ReadyWork} through PostgreSQL {@code NOTIFY}: delivered to every replica's listener only
 * when the transaction commits, so no worker looks for a step before it is visible. This replica
 * is woken directly after commit, without the round trip, and tells the others only when it is
 * busy.
 */
@Component
class PostgresReadyWork implements ReadyWork {

    static final String CHANNEL = "ferry_work";

    private final JdbcTemplate jdbc;
    private final WorkSignal signal;

    PostgresReadyWork(JdbcTemplate jdbc, WorkSignal signal) {
        this.jdbc = jdbc;
        this.signal = signal;
    }

    @Override
    public void announce(boolean urgent) {
        // PostgreSQL serializes the commits of transactions that NOTIFY (they queue in commit
        // order), so the other replicas are told only when this one has no free worker to take
        // the step; otherwise it claims the step itself right after commit. If it dies first, the
        // others' fallback poll finds the step.
        if (!signal.canTakeWork(urgent)) {
            jdbc.queryForObject(
                    "SELECT pg_notify('" + CHANNEL + "', '" + (urgent ? WorkSignal.URGENT : "") + "')", Object.class);
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake(urgent);
                }
            });
        } else {
            wake(urgent);
        }
    }

    private void wake(boolean urgent) {
        if (urgent) {
            signal.urgentQueued();
        } else {
            signal.wake();
        }
    }
}
