package dev.ferry.plan.builtin;

import static dev.ferry.plan.builtin.Operators.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The built-in plan {@code traffic-shift} (strangler-fig-aws-migration.es.md) end to end: the drift
 * check reads two real PostgreSQL databases through secrets in the emulator, the alarms are real
 * CloudWatch alarms there, and the split is the SSM parameter the application reads.
 */
class TrafficShiftPlanIT extends FerryIT {

    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static TestDatabase.Coordinates oldSystem;
    private static TestDatabase.Coordinates newSystem;
    private static String orders;
    private static String readings;

    private final SsmClient ssm = AwsEmulator.client(SsmClient.builder());
    private String id;
    private String splitParameter;

    @BeforeAll
    static void shadowModeDatabases() {
        oldSystem = TestDatabase.newDatabase();
        newSystem = TestDatabase.newDatabase();
        orders = "orders_" + Operators.unique();
        readings = "readings_" + Operators.unique();
        // Shadow mode wrote to both: orders agree, readings lag by one in 200 (0.5 %, inside the 1 %).
        Operators.rows(oldSystem, orders, 120);
        Operators.rows(newSystem, orders, 120);
        Operators.rows(oldSystem, readings, 200);
        Operators.rows(newSystem, readings, 199);
    }

    @BeforeEach
    void splitAtZero() {
        id = Operators.unique();
        splitParameter = "/hse/" + id + "/traffic-split-percent";
        ssm.putParameter(r -> r.name(splitParameter).value("0").type(ParameterType.STRING));
    }

    @Test
    void shiftsTheSplitTo100AfterTheDriftAndAlarmGates() {
        Api api = api();
        UUID job = Jobs.start(api, "ana", "traffic-shift", parameters("PT0.2S"));

        JsonNode awaiting = Operators.awaitState(api, job, "AWAITING_APPROVAL", AT_MOST);
        assertThat(awaiting.get("currentPhase").asText()).isEqualTo("CUTOVER");
        JsonNode drift = Jobs.step(awaiting, "drift").get("output");
        assertThat(drift.get("withinTolerance").asBoolean()).isTrue();
        assertThat(drift.get("tables").get(1).get("source").asLong()).isEqualTo(200);
        assertThat(drift.get("tables").get(1).get("target").asLong()).isEqualTo(199);
        assertThat(splitValue()).as("nothing shifted before the approval").isEqualTo("0");

        assertThat(Operators.checklist(awaiting))
                .as("the pre-migration checklist")
                .containsOnlyKeys(
                        "backup-old-system",
                        "rollback-tested",
                        "readiness",
                        "announce-stakeholders",
                        "daily-update",
                        "metrics-vs-baseline",
                        "lessons-learned",
                        "announce-success")
                .containsEntry("announce-stakeholders", "operator-on-duty")
                .containsEntry("daily-update", null);
        Operators.approve(api, job, "cutover", "bruno");
        JsonNode waiting = Operators.awaitState(api, job, "WAITING", AT_MOST);
        assertThat(waiting.get("currentPhase").asText())
                .as("a week at 100 %% before the closing mail")
                .isEqualTo("CLEANUP");
        Operators.notBeforeNow(api, job, "cleanup", "seven stable days at 100 % in staging");
        JsonNode done = Operators.awaitState(api, job, "SUCCEEDED", AT_MOST);
        assertThat(Operators.checklist(done)).doesNotContainValue(null);

        assertThat(splitValue()).isEqualTo("100");
        assertThat(ssm.getParameterHistory(r -> r.name(splitParameter)).parameters())
                .extracting(p -> p.value())
                .containsExactly("0", "10", "50", "100");
        for (String gate : List.of("healthy-before", "gate-10", "gate-50", "gate-100")) {
            assertThat(status(done, gate)).as(gate).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void rollbackDuringTheFirstSoakPutsTheSplitBackToZero() {
        Api api = api();
        // One soak parameter serves every step, so a long soak holds the job in the 10 % soak.
        UUID job = Jobs.start(api, "ana", "traffic-shift", parameters("PT1H"));
        Operators.awaitState(api, job, "AWAITING_APPROVAL", AT_MOST);
        Operators.approve(api, job, "cutover", "bruno");
        Operators.awaitStep(api, job, "soak-10", "RUNNING");
        assertThat(splitValue()).isEqualTo("10");

        Operators.rollback(api, job, "p99 latency above 500 ms on the new system");
        JsonNode rolledBack = Operators.awaitState(api, job, "ROLLED_BACK", AT_MOST);

        assertThat(splitValue()).isEqualTo("0");
        assertThat(status(rolledBack, "split-10")).isEqualTo("COMPENSATED");
        assertThat(status(rolledBack, "split-50")).isNotIn("SUCCEEDED", "RUNNING");
        assertThat(Jobs.phase(rolledBack, "OBSERVE").get("status").asText()).isEqualTo("SKIPPED");
    }

    @Test
    void anAlarmFiringDuringTheShiftStopsAtTheGateAndTheOperatorRollsBack() {
        Api api = api();
        Map<String, Object> parameters = parameters("PT0.2S");
        UUID job = Jobs.start(api, "ana", "traffic-shift", parameters);
        Operators.awaitState(api, job, "AWAITING_APPROVAL", AT_MOST);
        // The new system degrades after the checks passed, before the first gate looks again.
        Operators.alarm(((List<?>) parameters.get("alarmNames")).get(0).toString(), true);
        Operators.approve(api, job, "cutover", "bruno");

        JsonNode paused = Operators.awaitState(api, job, "PAUSED", AT_MOST);
        assertThat(status(paused, "gate-10")).isEqualTo("FAILED");
        assertThat(paused.get("lastError").asText()).contains("ALARM");
        assertThat(splitValue()).as("the gate held the split at 10 %").isEqualTo("10");

        Operators.rollback(api, job, "5xx rate above 5 % at 10 %");
        Operators.awaitState(api, job, "ROLLED_BACK", AT_MOST);
        assertThat(splitValue()).isEqualTo("0");
    }

    /**
     * Rollback from every phase the plan has, each stopped where the split is at a different value:
     * after VERIFY (nothing shifted), in CUTOVER at 50 %, and in OBSERVE at 100 %. The split goes
     * back step by step, newest first, to what it was before the job.
     */
    @ParameterizedTest(name = "rollback from {0}")
    @CsvSource({
        "verify, AWAITING_APPROVAL, , '0'",
        "cutover, RUNNING, soak-50, '0,10,50,10,0'",
        "observe, RUNNING, gate-100, '0,10,50,100,50,10,0'"
    })
    void rollbackFromEveryPhaseRestoresTheSplit(String phase, String state, String holdAt, String history) {
        Api api = api();
        String source =
                api.get("/api/v1/plans/traffic-shift").json().get("source").asText();
        String name = "traffic-shift-" + phase + "-" + Operators.unique();
        String variant = source.replace("name: traffic-shift", "name: " + name);
        if (holdAt != null) {
            // Only the step to stop at waits long; the others soak for a moment.
            variant = "gate-100".equals(holdAt)
                    ? variant.replace("duration: \"${params.soak}\"\n", "duration: PT1H\n")
                    : variant.replace(
                            "{id: " + holdAt + ", action: wait, with: {duration: \"${params.soak}\"}}",
                            "{id: " + holdAt + ", action: wait, with: {duration: PT1H}}");
        }
        assertThat(variant).as("the hold was written into the plan").contains(holdAt == null ? name : "PT1H");
        Api.Response registered = api.as("plan-author").post("/api/v1/plans", "application/yaml", variant);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);

        UUID job = Jobs.start(api, "ana", name, parameters("PT0.2S"));
        Operators.awaitState(api, job, "AWAITING_APPROVAL", AT_MOST);
        if (holdAt != null) {
            Operators.approve(api, job, "cutover", "bruno");
            Operators.awaitStep(api, job, holdAt, "RUNNING");
        }
        assertThat(Jobs.get(api, job).get("state").asText()).isEqualTo(state);
        Operators.rollback(api, job, "rehearsing rollback from " + phase);
        JsonNode rolledBack = Operators.awaitState(api, job, "ROLLED_BACK", AT_MOST);

        assertThat(splitValue()).isEqualTo("0");
        assertThat(ssm.getParameterHistory(r -> r.name(splitParameter)).parameters())
                .extracting(p -> p.value())
                .containsExactly(history.split(","));
        // Each shift that happened was undone by its own compensation: (history - 1) / 2 of them.
        long compensated = List.of("split-10", "split-50", "split-100").stream()
                .filter(split -> "COMPENSATED".equals(status(rolledBack, split)))
                .count();
        assertThat(compensated).isEqualTo((history.split(",").length - 1) / 2);
    }

    private Map<String, Object> parameters(String soak) {
        return Map.of(
                "splitParameter", splitParameter,
                "alarmNames", Operators.calmAlarms("hse-" + id),
                "soak", soak,
                "sourceSecretId", Operators.databaseSecret("hse/" + id + "/old-db", oldSystem),
                "targetSecretId", Operators.databaseSecret("hse/" + id + "/new-db", newSystem),
                "tables", List.of(orders, readings));
    }

    private String splitValue() {
        return ssm.getParameter(r -> r.name(splitParameter)).parameter().value();
    }
}
