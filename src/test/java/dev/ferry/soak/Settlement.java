package dev.ferry.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Estate;
import dev.ferry.support.Ledger;
import dev.ferry.support.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The checks after the storm, each returning what it counted for the summary: jobs in the states
 * their scripts expect, side effects read back from the emulator, steps recorded once, timelines
 * gapless with valid hash chains, and no lease or orphaned step left.
 */
final class Settlement {

    private static final List<String> TERMINAL = List.of("SUCCEEDED", "ROLLED_BACK", "FAILED", "CANCELLED");

    private final JdbcTemplate jdbc;
    private final Map<UUID, Script> jobs;

    Settlement(JdbcTemplate jdbc, Map<UUID, Script> jobs) {
        this.jdbc = jdbc;
        this.jobs = jobs;
    }

    /** Waits (boundedly) until no job moves any more, and no step holds a lease. */
    void awaitQuiet(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> terminalJobs() == jobs.size());
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> leasesLeft() == 0);
    }

    private int terminalJobs() {
        return jdbc.queryForObject(
                "SELECT count(*) FROM migration_job WHERE state IN ('" + String.join("', '", TERMINAL) + "')",
                Integer.class);
    }

    int leasesLeft() {
        return jdbc.queryForObject("SELECT count(*) FROM step_execution WHERE lease_owner IS NOT NULL", Integer.class);
    }

    /** Every job ended as its script says; returns the count of jobs per final state. */
    Map<String, Integer> assertStatesAsScripted() {
        Map<String, Integer> byState = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        jdbc.queryForList("SELECT id, state FROM migration_job").forEach(row -> {
            UUID id = (UUID) row.get("id");
            String state = (String) row.get("state");
            byState.merge(state, 1, Integer::sum);
            if (!state.equals(jobs.get(id).finalState())) {
                wrong.add(id + " (" + jobs.get(id) + ") ended " + state);
            }
        });
        assertThat(wrong).as("jobs that did not end as scripted").isEmpty();
        assertThat(byState.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(jobs.size());
        return byState;
    }

    /**
     * Each kept parameter is at version 1 with the job's value and each kept copy has exactly one
     * version; a rolled-back job left neither behind. Returns how many resources were read back.
     */
    int assertSideEffectsOnce(String bucket) {
        List<String> wrong = new ArrayList<>();
        jobs.forEach((id, script) -> {
            String parameter = Script.parameterName(id);
            long version = Estate.parameterVersion(parameter);
            int copies = Estate.objectVersions(bucket, Script.objectKey(id));
            boolean kept = version == 1 && id.toString().equals(Estate.parameterValue(parameter)) && copies == 1;
            boolean undone = version == 0 && copies == 0;
            if (script.keepsSideEffects() ? !kept : !undone) {
                wrong.add(id + " (" + script + "): parameter version " + version + ", object versions " + copies);
            }
        });
        assertThat(wrong).as("side effects not exactly once (or not undone)").isEmpty();
        return jobs.size() * 2;
    }

    /** No step of any job succeeded, or was compensated, more than once in its timeline. */
    void assertStepsRecordedOnce() {
        List<String> twice = jdbc.queryForList(
                """
                SELECT job_id || ' ' || step_id || ' ' || type FROM job_event
                 WHERE type IN ('STEP_SUCCEEDED', 'STEP_COMPENSATED')
                 GROUP BY job_id, step_id, type HAVING count(*) > 1
                """,
                String.class);
        assertThat(twice).as("steps recorded as done more than once").isEmpty();
    }

    /** Gapless timelines (from the rows) and valid hash chains (the service's own verifier); returns events. */
    int assertTimelinesIntact(ServiceProcess replica) {
        int events = Ledger.assertAuditGapless(jdbc);
        JsonNode verification = ServiceProcess.authenticated(replica.api(), "soak-auditor", "viewer")
                .get("/api/v1/audit/verify")
                .json();
        assertThat(verification.get("valid").asBoolean())
                .as(verification.toString())
                .isTrue();
        assertThat(verification.get("jobsChecked").asInt()).isEqualTo(jobs.size());
        return events;
    }

    void assertNothingLeftRunning() {
        assertThat(leasesLeft()).as("steps still leased").isZero();
        Ledger.assertNoOrphanedSteps(jdbc);
    }
}
