package dev.ferry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.support.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** V5 chains the events written before it exactly as the trigger chains new ones. */
class AuditChainMigrationIT {

    @Test
    void eventsWrittenBeforeTheChainExistedAreChainedAndTheChainGoesOn() {
        TestDatabase.Coordinates db = TestDatabase.newDatabase();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(db.url(), db.username(), db.password());
        Flyway.configure().dataSource(dataSource).target("4").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        UUID plan = UUID.randomUUID();
        jdbc.update(
                """
                INSERT INTO plan (id, name, version, sha256, document, source, source_type, created_at, created_by)
                VALUES (?, 'old', 1, 'x', '{}', '', 'yaml', now(), 'someone')""",
                plan);
        UUID first = job(jdbc, plan, 3);
        UUID second = job(jdbc, plan, 2);
        job(jdbc, plan, 0);

        Flyway.configure().dataSource(dataSource).load().migrate();
        AuditChain chains = new AuditChain(
                dataSource,
                new ObjectMapper(),
                new DataSourceTransactionManager(dataSource),
                new VerifyProperties(Duration.ofMinutes(5), 100, 30, Duration.ofMinutes(1), 10),
                Clock.systemUTC(),
                new SimpleMeterRegistry());
        JobAudit audit = chains.export(first).orElseThrow();
        assertThat(audit.verification()).isEqualTo(new ChainVerification(true, 3, null, null));
        assertThat(audit.events().get(0).prevHash()).isEqualTo("00".repeat(32));
        assertThat(audit.headSeq()).isEqualTo(3);
        assertThat(audit.headHash()).isEqualTo(audit.events().get(2).hash());
        assertThat(chains.export(second).orElseThrow().verification().valid()).isTrue();

        jdbc.update(
                """
                INSERT INTO job_event (job_id, seq, at, actor, type, detail)
                VALUES (?, 4, now(), 'ana', 'JOB_RESUMED', '{"after": "upgrade"}')""",
                first);
        JobAudit continued = chains.export(first).orElseThrow();
        assertThat(continued.verification()).isEqualTo(new ChainVerification(true, 4, null, null));
        assertThat(continued.events().get(3).prevHash()).isEqualTo(audit.headHash());

        AuditSummary summary = chains.verifyAll(false);
        assertThat(summary.jobsChecked()).isEqualTo(3);
        assertThat(summary.eventsChecked()).isEqualTo(6);
        assertThat(summary.jobsReused()).isZero();
        // The job without a single event (not even its creation) is reported.
        assertThat(summary.invalidJobCount()).isEqualTo(1);
        assertThat(summary.invalidJobs()).singleElement().satisfies(j -> assertThat(j.firstInvalidSeq())
                .isEqualTo(1));

        // Again: the two intact chains whose heads did not move are not read again; the broken one is.
        AuditSummary again = chains.verifyAll(false);
        assertThat(again.jobsReused()).isEqualTo(2);
        assertThat(again.reusedSince()).isNotNull();
        assertThat(again)
                .usingRecursiveComparison()
                .ignoringFields("jobsReused", "reusedSince")
                .isEqualTo(summary);
        // A head that moves is read again.
        jdbc.update(
                "INSERT INTO job_event (job_id, seq, at, actor, type) VALUES (?, 3, now(), 'ana', 'JOB_RESUMED')",
                second);
        assertThat(chains.verifyAll(false).jobsReused()).isEqualTo(1);
        assertThat(chains.verifyAll(true).jobsReused()).isZero();
    }

    private static UUID job(JdbcTemplate jdbc, UUID plan, int events) {
        UUID id = UUID.randomUUID();
        jdbc.update(
                """
                INSERT INTO migration_job (id, name, plan_id, state, parameters, created_by, created_at, updated_at,
                                           last_event_seq)
                VALUES (?, 'old job', ?, 'RUNNING', '{}', 'someone', now(), now(), ?)""",
                id,
                plan,
                events);
        for (int seq = 1; seq <= events; seq++) {
            jdbc.update(
                    """
                    INSERT INTO job_event (job_id, seq, at, actor, type, phase, from_state, to_state, reason, detail)
                    VALUES (?, ?, clock_timestamp(), 'someone', 'JOB_STARTED', NULL, 'CREATED', 'RUNNING', ?,
                            '{"n": 1.50, "list": [3, {"b": 1, "a": ""}]}')""",
                    id,
                    seq,
                    seq == 2 ? "" : null);
        }
        return id;
    }
}
