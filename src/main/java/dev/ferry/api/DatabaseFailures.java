package dev.ferry.api;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Reads an exception's causes for what the database said: unreachable, or text it cannot store. */
final class DatabaseFailures {

    /** What a 503 tells the caller to wait before trying again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private static final String HIKARI_CLOSED = "Connection is closed";

    private DatabaseFailures() {}

    /**
     * The database could not be reached or went away mid-request (no connection from the pool,
     * connection refused or reset, server shutting down): nothing was committed, so a retry is safe.
     */
    static boolean unavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            // HikariCP's proxy of a connection it evicted (the database went away mid-transaction);
            // a failed rollback on it hides the original error, and it carries no SQLState.
            if (t instanceof SQLException && HIKARI_CLOSED.equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** PostgreSQL refuses NUL in text (22021) and in jsonb strings (22P05). */
    static boolean nulCharacter(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
