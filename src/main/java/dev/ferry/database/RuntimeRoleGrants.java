package dev.ferry.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With a migration user of its own ({@code spring.flyway.user}, the owner of the schema), Ferry
 * connects for everything else as a runtime user ({@code spring.datasource.username}) that owns
 * nothing: it cannot {@code ALTER TABLE ... DISABLE TRIGGER}, so the audit triggers (V5, V26, V31)
 * hold for it. After every migration the migration user grants the runtime user what Ferry's writes
 * need and no more: reading and writing rows, but never changing, deleting or truncating
 * {@code job_event}, never deleting jobs, never touching Flyway's history. New tables of later
 * migrations are covered by the same grants at the next start. With one user for both (the
 * embedded database, a single-user setup) nothing is granted.
 */
@Configuration(proxyBeanMethods = false)
class RuntimeRoleGrants {

    private static final Logger log = LoggerFactory.getLogger(RuntimeRoleGrants.class);
    /** Replicas starting together grant one after the other: concurrent GRANTs on one object fail. */
    private static final long LOCK = 0x4645525259_0031L;

    @Bean
    FlywayMigrationStrategy migrateThenGrant(Environment environment) {
        return flyway -> {
            flyway.migrate();
            String migrationUser = environment.getProperty("spring.flyway.user");
            String runtimeUser = environment.getProperty("spring.datasource.username");
            if (migrationUser != null
                    && !migrationUser.isBlank()
                    && runtimeUser != null
                    && !runtimeUser.isBlank()
                    && !migrationUser.equals(runtimeUser)) {
                grant(flyway, runtimeUser, migrationUser);
            }
        };
    }

    /** The statements, in order, for {@code role} on {@code schema} (both quoted identifiers). */
    static List<String> statements(String schema, String role, String history) {
        return List.of(
                "GRANT USAGE ON SCHEMA " + schema + " TO " + role,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
                "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role,
                // The audit timeline is append-only (V5): read and append, nothing else.
                "REVOKE UPDATE, DELETE, TRUNCATE ON " + schema + ".job_event FROM " + role,
                // Jobs are never deleted (their events could not be).
                "REVOKE DELETE, TRUNCATE ON " + schema + ".migration_job FROM " + role,
                "REVOKE ALL ON " + schema + "." + history + " FROM " + role);
    }

    private static void grant(Flyway flyway, String runtimeUser, String migrationUser) {
        try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            String schema = schema(flyway, connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                for (String sql : statements(
                        quote(schema),
                        quote(runtimeUser),
                        quote(flyway.getConfiguration().getTable()))) {
                    statement.execute(sql);
                }
            }
            warnIfItCanStillDisableTriggers(connection, runtimeUser, schema);
            connection.commit();
            log.info(
                    "Runtime user {} may read and write Ferry's tables in {} but owns none (migrations run as {})",
                    runtimeUser,
                    schema,
                    migrationUser);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot grant the runtime user " + runtimeUser + " its privileges", e);
        }
    }

    private static String schema(Flyway flyway, Connection connection) throws SQLException {
        String[] schemas = flyway.getConfiguration().getSchemas();
        if (schemas.length > 0) {
            return schemas[0];
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A superuser, or a member of the owner's role, could still switch the triggers off. */
    private static void warnIfItCanStillDisableTriggers(Connection connection, String role, String schema)
            throws SQLException {
        try (PreparedStatement check = connection.prepareStatement(
                """
                SELECT r.rolsuper OR pg_has_role(r.oid, c.relowner, 'USAGE')
                  FROM pg_roles r, pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE r.rolname = ? AND c.relname = 'job_event' AND n.nspname = ?
                """)) {
            check.setString(1, role);
            check.setString(2, schema);
            try (ResultSet rs = check.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    log.warn(
                            "Runtime user {} is a superuser or acts as the owner of job_event: it can disable"
                                    + " the audit triggers. Give it a role of its own that owns nothing (README: Database"
                                    + " roles).",
                            role);
                }
            }
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
