package dev.ferry.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** What an attacker with the database's superuser could do to a timeline, undone after the check. */
public final class EventTampering {

    private EventTampering() {}

    /**
     * Runs {@code sql} as a superuser that switches the triggers off for its session, then
     * {@code check}, then puts the job's events back exactly as they were.
     */
    public static void asSuperuser(UUID jobId, String sql, Runnable check) throws SQLException {
        TestDatabase.Coordinates db = TestDatabase.shared();
        try (Connection connection = DriverManager.getConnection(db.url(), db.username(), db.password());
                Statement statement = connection.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            try (PreparedStatement save = connection.prepareStatement(
                    "CREATE TEMP TABLE saved AS SELECT * FROM job_event WHERE job_id = ?")) {
                save.setObject(1, jobId);
                save.execute();
            }
            try {
                statement.execute(sql);
                check.run();
            } finally {
                try (PreparedStatement restore = connection.prepareStatement(
                        "DELETE FROM job_event WHERE job_id = ?; INSERT INTO job_event SELECT * FROM saved; DROP TABLE saved")) {
                    restore.setObject(1, jobId);
                    restore.execute();
                }
            }
        }
    }
}
