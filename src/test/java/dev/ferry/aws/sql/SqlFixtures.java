package dev.ferry.aws.sql;

import static org.awaitility.Awaitility.await;

import dev.ferry.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Tables, rows and a password-checked read-only role on the test PostgreSQL, with plain JDBC. */
final class SqlFixtures {

    private SqlFixtures() {}

    /** A login role with a password, allowed to read {@code public} and {@code sales} of both databases. */
    record Reader(String name, String password) {}

    static Reader readerRole(TestDatabase.Coordinates... databases) {
        Reader reader = new Reader("ferry_reader_" + ProcessHandle.current().pid(), "Rd-" + UUID.randomUUID());
        sql(
                databases[0],
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + reader.name()
                        + "') THEN CREATE ROLE " + reader.name() + "; END IF; END $$",
                "ALTER ROLE " + reader.name() + " LOGIN PASSWORD '" + reader.password() + "'");
        for (TestDatabase.Coordinates db : databases) {
            sql(
                    db,
                    "CREATE SCHEMA IF NOT EXISTS sales",
                    "GRANT USAGE ON SCHEMA sales TO " + reader.name(),
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + reader.name(),
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA sales GRANT SELECT ON TABLES TO " + reader.name());
        }
        requirePassword(databases[0], reader);
        return reader;
    }

    /**
     * The embedded test server trusts local connections, so no password would ever be checked.
     * Put a password rule for this one role in front of its pg_hba.conf (other roles keep their
     * rules); servers that already check passwords (containers, TEST_DATABASE_URL) are left alone.
     */
    private static void requirePassword(TestDatabase.Coordinates db, Reader reader) {
        if (!acceptsLogin(db, reader.name(), "wrong-" + UUID.randomUUID())) {
            return;
        }
        Path hba = Path.of(query(db, "SHOW hba_file"));
        try {
            String rules = Files.readString(hba, StandardCharsets.UTF_8);
            String rule = "host all " + reader.name() + " all scram-sha-256\n";
            if (!rules.contains(rule)) {
                Files.writeString(hba, rule + rules, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot require a password on the test server (" + hba + ")", e);
        }
        query(db, "SELECT pg_reload_conf()");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !acceptsLogin(db, reader.name(), "wrong-" + UUID.randomUUID()));
    }

    /** The database's URL without settings: the test server's carries {@code user=}, which would win over ours. */
    static String url(TestDatabase.Coordinates db) {
        int query = db.url().indexOf('?');
        return query < 0 ? db.url() : db.url().substring(0, query);
    }

    private static boolean acceptsLogin(TestDatabase.Coordinates db, String user, String password) {
        try (Connection ignored = DriverManager.getConnection(url(db), user, password)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** {@code public.<table>(id int)} with {@code count} rows. */
    static void rows(TestDatabase.Coordinates db, String table, int count) {
        sql(
                db,
                "CREATE TABLE " + table + " (id int)",
                "INSERT INTO " + table + " SELECT generate_series(1, " + count + ")");
    }

    /** {@code public.<table>(id, time timestamptz)}: for each instant, that many rows. */
    static void events(TestDatabase.Coordinates db, String table, Map<String, Integer> rowsAt) {
        sql(db, "CREATE TABLE " + table + " (id serial, time timestamptz NOT NULL)");
        rowsAt.forEach((at, count) -> sql(
                db,
                "INSERT INTO " + table + " (time) SELECT '" + at + "'::timestamptz FROM generate_series(1, " + count
                        + ")"));
    }

    static void sql(TestDatabase.Coordinates db, String... statements) {
        try (Connection connection = DriverManager.getConnection(db.url(), db.username(), db.password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String query(TestDatabase.Coordinates db, String sql) {
        try (Connection connection = DriverManager.getConnection(db.url(), db.username(), db.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
