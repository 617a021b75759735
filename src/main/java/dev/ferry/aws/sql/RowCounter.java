package dev.ferry.aws.sql;

import dev.ferry.action.ActionFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Counts rows on one database inside a single read-only, repeatable-read transaction (one snapshot
 * for all tables of a call) with a statement timeout, and rolls it back at the end. SQL failures
 * become classified {@link ActionFailure}s whose messages never contain the password.
 */
final class RowCounter implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final Database database;
    private final Connection connection;

    private RowCounter(Database database, Connection connection) {
        this.database = database;
        this.connection = connection;
    }

    static RowCounter open(Database database, Duration statementTimeout) {
        Properties settings = new Properties();
        settings.setProperty("user", database.username());
        settings.setProperty("password", database.password());
        settings.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        settings.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        // A server that stops answering must not hold the worker past the statement timeout.
        settings.setProperty("socketTimeout", Long.toString(statementTimeout.toSeconds() + 30));
        settings.setProperty("ApplicationName", "ferry sql.compareRowCounts");
        Connection connection = null;
        try {
            connection = new Driver().connect(database.url(), settings);
            if (connection == null) {
                throw new ActionFailure(
                        false, Database.UNSUPPORTED, database.side() + ".jdbcUrl is not a PostgreSQL JDBC URL");
            }
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
            RowCounter counter = new RowCounter(database, connection);
            counter.setting("statement_timeout", Long.toString(statementTimeout.toMillis()));
            // Window bounds are instants; comparing them with timestamp-without-zone columns reads those as UTC.
            counter.setting("TimeZone", "UTC");
            return counter;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw classify(database, e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** {@code SELECT count(*)} of one table, within its window if it has one. */
    long count(TableSpec table, Instant[] bounds) {
        try (PreparedStatement statement = connection.prepareStatement(table.countSql())) {
            for (int i = 0; i < bounds.length; i++) {
                statement.setObject(i + 1, OffsetDateTime.ofInstant(bounds[i], ZoneOffset.UTC));
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw classify(database, e, table.name());
        }
    }

    private void setting(String name, String value) throws SQLException {
        // SET takes no bind parameters; set_config does, and is_local=true confines it to this transaction.
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
            statement.setString(1, name);
            statement.setString(2, value);
            statement.execute();
        }
    }

    static ActionFailure classify(Database database, SQLException e) {
        return classify(database, e, null);
    }

    /** Connection trouble, overload and timeouts may pass; wrong credentials and missing tables will not. */
    static ActionFailure classify(Database database, SQLException e, String table) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = database.scrub(database.side() + " database " + database.displayUrl()
                + (table == null ? "" : ", table " + table) + ": " + e.getMessage() + " (SQLState " + state + ")");
        if (state.startsWith("28")) {
            return new ActionFailure(false, "SQL_AUTHENTICATION_FAILED", message);
        }
        if (state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57P")
                || state.equals("40001")
                || state.equals("40P01")) {
            return new ActionFailure(true, "SQL_CONNECTION_FAILED", message);
        }
        if (state.equals("57014")) {
            return new ActionFailure(true, "SQL_STATEMENT_TIMEOUT", message);
        }
        if (state.equals("42P01") || state.equals("3F000")) {
            return new ActionFailure(
                    false, "SQL_TABLE_NOT_FOUND", message + "; table names are exact (case-sensitive) catalog names");
        }
        if (state.equals("3D000")) {
            return new ActionFailure(false, "SQL_DATABASE_NOT_FOUND", message);
        }
        return new ActionFailure(false, "SQL_ERROR", message);
    }

    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // read-only: nothing to lose; closing ends the transaction anyway
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already broken; nothing more to release
        }
    }
}
