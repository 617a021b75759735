package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.lifecycle.PhaseStatus;
import dev.ferry.plan.Phase;
import dev.ferry.support.Api;
import dev.ferry.support.Engine;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import jakarta.persistence.EntityManager;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How changes and views read and write a job in plain JDBC ({@link JobRows}), against JPA's mapping: both read the same values
 * from every column, the JDBC path writes only what changed, bumps and checks each row's version
 * as Hibernate does, and leaves a column another transaction moved (a heartbeat's lease expiry) alone.
 */
class JobRowsIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: region, type: string}
            phases:
              prepare:
                steps:
                  - {id: a, action: noop, with: {output: {bucket: logs, sizes: [1, 2.5], nested: {ok: true}}}}
                  - {id: b, action: noop}
              cutover:
                approval: {required: 1, roles: [approver]}
                steps:
                  - {id: x, action: noop}
            """;

    private static Engine engine;
    private static UUID id;

    @BeforeAll
    static void runAJobToItsApproval() {
        engine = Engine.start(TestDatabase.newDatabase());
        Api api = engine.api();
        id = Jobs.start(api, "alice", Jobs.registerPlan(api, "rows", PLAN), Map.of("region", "eu-west-1"));
        Jobs.awaitState(api, id, "AWAITING_APPROVAL");
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void readsWhatJpaReadsFromEveryColumn() {
        inTransaction(() -> {
            MigrationJob viaJpa = viaJpa();
            MigrationJob viaJdbc =
                    engine.bean(JobRows.class).lock(id).orElseThrow().job();

            assertSameColumns(viaJdbc, viaJpa);
            assertThat(viaJdbc.phases()).hasSameSizeAs(viaJpa.phases()).hasSize(7);
            assertThat(viaJdbc.steps()).hasSameSizeAs(viaJpa.steps()).hasSize(3);
            for (int i = 0; i < viaJpa.phases().size(); i++) {
                assertSameColumns(viaJdbc.phases().get(i), viaJpa.phases().get(i));
                assertThat(viaJdbc.phases().get(i).job()).isSameAs(viaJdbc);
            }
            for (int i = 0; i < viaJpa.steps().size(); i++) {
                assertSameColumns(viaJdbc.steps().get(i), viaJpa.steps().get(i));
                assertThat(viaJdbc.steps().get(i).job()).isSameAs(viaJdbc);
            }
            assertThat(viaJdbc.step("a")
                            .orElseThrow()
                            .output()
                            .path("sizes")
                            .get(1)
                            .asDouble())
                    .isEqualTo(2.5);
            return null;
        });
    }

    @Test
    void writesOnlyWhatChangedAndBumpsTheVersionsOfTheRowsItWrote() {
        Map<String, Object> before = versions();
        // Far ahead, so that no timer or worker acts on what is written here.
        Instant at = Instant.parse("2031-01-01T00:00:00.123456Z");
        inTransaction(() -> {
            JobRows rows = engine.bean(JobRows.class);
            JobRows.Loaded loaded = rows.lock(id).orElseThrow();
            MigrationJob job = loaded.job();
            job.lastError("disk full");
            job.waitUntil(at, JsonNodeFactory.instance.objectNode().put("kind", "test"));
            job.phase(Phase.CUTOVER).orElseThrow().earliestStart(at);
            job.step("x")
                    .orElseThrow()
                    .progress(JsonNodeFactory.instance.objectNode().put("n", 1), "half", at);
            rows.write(loaded);
            return null;
        });
        Map<String, Object> after = versions();

        assertThat(after.get("job")).isEqualTo((long) before.get("job") + 1);
        assertThat(after.get("CUTOVER")).isEqualTo((long) before.get("CUTOVER") + 1);
        assertThat(after.get("x")).isEqualTo((long) before.get("x") + 1);
        assertThat(after.get("PREPARE")).as("an unchanged phase is not written").isEqualTo(before.get("PREPARE"));
        assertThat(after.get("a")).as("an unchanged step is not written").isEqualTo(before.get("a"));
        inTransaction(() -> {
            MigrationJob job = viaJpa();
            assertThat(job.lastError()).isEqualTo("disk full");
            assertThat(job.wakeAt()).isEqualTo(at);
            assertThat(job.waitingFor().path("kind").asText()).isEqualTo("test");
            assertThat(job.phase(Phase.CUTOVER).orElseThrow().earliestStart()).isEqualTo(at);
            assertThat(job.phase(Phase.CUTOVER).orElseThrow().status()).isEqualTo(PhaseStatus.AWAITING_APPROVAL);
            StepExecution x = job.step("x").orElseThrow();
            assertThat(x.progress().path("n").asInt()).isEqualTo(1);
            assertThat(x.message()).isEqualTo("half");
            assertThat(x.nextRunAt()).isEqualTo(at);
            return null;
        });
    }

    @Test
    void aRowMovedByAnotherTransactionIsNotOverwritten() {
        JdbcTemplate elsewhere = new JdbcTemplate(engine.bean(DataSource.class));
        assertThatThrownBy(() -> inTransaction(() -> {
                    JobRows rows = engine.bean(JobRows.class);
                    JobRows.Loaded loaded = rows.lock(id).orElseThrow();
                    // A claim on another connection (it takes no job lock) moves the step's version.
                    elsewhere.update(
                            "UPDATE step_execution SET version = version + 1 WHERE job_id = ? AND step_id = 'b'", id);
                    // Rows before and after it are written in the same round trip: none may stay.
                    loaded.job().step("a").orElseThrow().progress(null, "moved", Instant.parse("2031-01-01T00:00:00Z"));
                    loaded.job().step("b").orElseThrow().skip("test", Instant.now());
                    loaded.job().lastError("moved");
                    rows.write(loaded);
                    return null;
                }))
                .isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(elsewhere.queryForObject(
                        "SELECT skip_reason FROM step_execution WHERE job_id = ? AND step_id = 'b'", String.class, id))
                .as("nothing of the failed change was written")
                .isNull();
        assertThat(elsewhere.queryForObject(
                        "SELECT message IS DISTINCT FROM 'moved' FROM step_execution WHERE job_id = ? AND step_id = 'a'",
                        Boolean.class,
                        id))
                .isTrue();
        assertThat(elsewhere.queryForObject("SELECT last_error FROM migration_job WHERE id = ?", String.class, id))
                .isNotEqualTo("moved");
    }

    @Test
    void aColumnTheChangeDidNotTouchKeepsAnotherTransactionsValue() {
        JdbcTemplate elsewhere = new JdbcTemplate(engine.bean(DataSource.class));
        Instant renewed = Instant.parse("2030-01-01T00:00:00Z");
        inTransaction(() -> {
            JobRows rows = engine.bean(JobRows.class);
            JobRows.Loaded loaded = rows.lock(id).orElseThrow();
            // A heartbeat renews a lease without a version bump, after this change read the row.
            elsewhere.update(
                    "UPDATE step_execution SET lease_expires_at = ? WHERE job_id = ? AND step_id = 'a'",
                    Timestamp.from(renewed),
                    id);
            loaded.job().step("a").orElseThrow().progress(null, "still here", Instant.parse("2031-01-01T00:00:00Z"));
            rows.write(loaded);
            return null;
        });
        assertThat(elsewhere
                        .queryForObject(
                                "SELECT lease_expires_at FROM step_execution WHERE job_id = ? AND step_id = 'a'",
                                Timestamp.class,
                                id)
                        .toInstant())
                .isEqualTo(renewed);
    }

    /** The job as Hibernate maps it (it still creates jobs): must be called in a transaction. */
    private static MigrationJob viaJpa() {
        return engine.bean(EntityManager.class).find(MigrationJob.class, id);
    }

    private static Map<String, Object> versions() {
        JdbcTemplate jdbc = engine.jdbc();
        Map<String, Object> versions = new HashMap<>();
        versions.put("job", jdbc.queryForObject("SELECT version FROM migration_job WHERE id = ?", Long.class, id));
        jdbc.query(
                "SELECT phase, version FROM phase_execution WHERE job_id = ?",
                rs -> {
                    versions.put(rs.getString(1), rs.getLong(2));
                },
                id);
        jdbc.query(
                "SELECT step_id, version FROM step_execution WHERE job_id = ?",
                rs -> {
                    versions.put(rs.getString(1), rs.getLong(2));
                },
                id);
        return versions;
    }

    private static <T> T inTransaction(Supplier<T> work) {
        return new TransactionTemplate(engine.bean(PlatformTransactionManager.class)).execute(status -> work.get());
    }

    /** Every persistent field of the two, associations aside, holds an equal value. */
    private static void assertSameColumns(Object viaJdbc, Object viaJpa) {
        List<String> compared = new ArrayList<>();
        for (Field field : viaJpa.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    || field.getType() == List.class
                    || field.getType() == MigrationJob.class) {
                continue;
            }
            field.setAccessible(true);
            try {
                Object jdbc = field.get(viaJdbc);
                Object jpa = field.get(viaJpa);
                if (jpa instanceof byte[] bytes) {
                    assertThat(Arrays.equals((byte[]) jdbc, bytes))
                            .as(field.getName())
                            .isTrue();
                } else {
                    assertThat(jdbc).as(field.getName()).isEqualTo(jpa);
                }
                compared.add(field.getName());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        assertThat(compared).contains("id", "version");
    }
}
