package dev.ferry.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.Engine;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestAuditKey;
import dev.ferry.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The README's database roles, as the Helm chart sets them up: Flyway runs as the owner of the
 * schema, the service as a runtime user that owns nothing. The service works as usual (jobs run,
 * wait for approvals, end, are audited), while the runtime user cannot switch the audit triggers off,
 * nor change, delete or truncate events, nor reopen a finished job's history.
 */
class RuntimeRoleIT {

    private static final String PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: copy, action: noop, compensate: {action: noop}}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
            """;

    @Test
    void theRuntimeUserRunsJobsButCannotDisableTriggersOrRemoveEvents() throws Exception {
        TestDatabase.Coordinates admin = TestDatabase.newDatabase();
        String database =
                admin.url().substring(admin.url().lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        String owner = "ferry_owner_" + database;
        String runtime = "ferry_app_" + database;
        try (Connection connection = DriverManager.getConnection(admin.url(), admin.username(), admin.password());
                Statement statement = connection.createStatement()) {
            // What a DBA runs once (README): two login roles, the owner owning the database.
            statement.execute("CREATE ROLE " + owner + " LOGIN PASSWORD 'owner-pw'");
            statement.execute("CREATE ROLE " + runtime + " LOGIN PASSWORD 'app-pw'");
            statement.execute("ALTER DATABASE " + database + " OWNER TO " + owner);
            statement.execute("ALTER SCHEMA public OWNER TO " + owner);
            statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }
        // The embedded server's URL names its user (?user=postgres), which would win over ours.
        String url = admin.url().replaceAll("([?&])user=[^&]*&?", "$1").replaceAll("[?&]$", "");
        TestDatabase.Coordinates asRuntime = new TestDatabase.Coordinates(url, runtime, "app-pw");
        UUID id;
        try (Engine engine = Engine.start(
                asRuntime,
                "spring.flyway.user=" + owner,
                "spring.flyway.password=owner-pw",
                "ferry.audit.signing-key=" + TestAuditKey.pem())) {
            Api api = engine.api();
            assertThat(engine.jdbc().queryForObject("SELECT current_user", String.class))
                    .isEqualTo(runtime);
            String plan = Jobs.registerPlan(api, "roles", PLAN);
            id = Jobs.start(api, "alice", plan, Map.of());
            Jobs.awaitState(api, id, "AWAITING_APPROVAL");
            api.as("bob", "approver").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
            Jobs.awaitState(api, id, "SUCCEEDED");
            JsonNode audit = api.get("/api/v1/jobs/" + id + "/audit").json();
            assertThat(audit.get("verification").get("valid").asBoolean()).isTrue();
            assertThat(audit.get("events").findValuesAsText("type"))
                    .contains("APPROVAL_RECORDED", "PHASE_APPROVED", "JOB_SUCCEEDED");
            assertThat(api.get("/api/v1/audit/heads?closed=true").status()).isEqualTo(200);
            assertThat(api.as("alice")
                            .post("/api/v1/jobs/" + id + "/preflight", null)
                            .status())
                    .isEqualTo(409);
        }

        String job = "'" + id + "'";
        try (Connection connection = DriverManager.getConnection(asRuntime.url(), runtime, "app-pw")) {
            for (String sql : List.of(
                    "ALTER TABLE job_event DISABLE TRIGGER ALL",
                    "ALTER TABLE job_event DISABLE TRIGGER job_event_append_only",
                    "ALTER TABLE migration_job DISABLE TRIGGER job_closed_in_update",
                    "SET session_replication_role = replica",
                    "DELETE FROM job_event WHERE job_id = " + job,
                    "UPDATE job_event SET reason = 'rewritten' WHERE job_id = " + job,
                    "TRUNCATE job_event",
                    "DELETE FROM migration_job WHERE id = " + job,
                    "DROP TRIGGER job_event_follows ON job_event",
                    "CREATE OR REPLACE FUNCTION job_event_follows() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $$ BEGIN RETURN NULL; END $$",
                    "DELETE FROM flyway_schema_history")) {
                try (Statement statement = connection.createStatement()) {
                    assertThatThrownBy(() -> statement.execute(sql))
                            .as(sql)
                            .isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                                    .as(sql + ": " + e.getMessage())
                                    .isEqualTo("42501"));
                }
            }
            try (Statement statement = connection.createStatement()) {
                // Reading, and the writes the service makes, stay allowed.
                var rs = statement.executeQuery("SELECT count(*) FROM job_event WHERE job_id = " + job);
                rs.next();
                assertThat(rs.getLong(1)).isGreaterThan(5);
                assertThat(statement.executeUpdate("UPDATE migration_job SET updated_at = now() WHERE id = " + job))
                        .isEqualTo(1);
            }
        }
    }
}
