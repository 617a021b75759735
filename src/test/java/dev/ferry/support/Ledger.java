package dev.ferry.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the database says after the storm: job states, and an audit trail without gaps. */
public final class Ledger {

    private Ledger() {}

    public static int jobsIn(JdbcTemplate jdbc, String state) {
        return jdbc.queryForObject("SELECT count(*) FROM migration_job WHERE state = ?", Integer.class, state);
    }

    /** Every job's events are numbered 1..n, without gaps or repeats, and n is what the job row says. */
    public static int assertAuditGapless(JdbcTemplate jdbc) {
        List<String> broken = jdbc.queryForList(
                """
                SELECT j.id::text FROM migration_job j LEFT JOIN job_event e ON e.job_id = j.id
                 GROUP BY j.id, j.last_event_seq
                HAVING count(e.seq) = 0 OR min(e.seq) <> 1 OR max(e.seq) <> count(e.seq)
                    OR count(DISTINCT e.seq) <> count(e.seq) OR max(e.seq) <> j.last_event_seq
                """,
                String.class);
        assertThat(broken).as("jobs whose audit sequence has a gap").isEmpty();
        return jdbc.queryForObject("SELECT count(*) FROM job_event", Integer.class);
    }

    /** No step is left claimed by nobody, or running without a lease. */
    public static void assertNoOrphanedSteps(JdbcTemplate jdbc) {
        Integer orphans = jdbc.queryForObject(
                """
                SELECT count(*) FROM step_execution s JOIN migration_job j ON j.id = s.job_id
                 WHERE j.state IN ('RUNNING', 'ROLLING_BACK') AND s.status IN ('RUNNING', 'COMPENSATING')
                   AND s.lease_owner IS NULL AND s.next_run_at IS NULL
                """,
                Integer.class);
        assertThat(orphans)
                .as("running steps that no worker holds or will claim")
                .isZero();
    }
}
