package dev.ferry.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.Api;
import dev.ferry.support.Estate;
import dev.ferry.support.Operator;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue #15's soak ({@code ./mvnw -B -Psoak verify}, not part of the ordinary build): three replicas
 * on one PostgreSQL and the AWS emulator run a few hundred jobs that write SSM parameters and copy
 * S3 objects, stop for two-person approvals and are rolled back, while replicas are SIGKILLed at
 * random moments and restarted at once. At the end every job is in the state its {@link Script}
 * expects, every side effect happened exactly once, every timeline is gapless with a valid chain,
 * and no lease is left. {@code -Dsoak.jobs}, {@code -Dsoak.kills} and {@code -Dsoak.seed} tune and
 * replay it.
 */
class ReplicaSoak {

    private static final int JOBS = Integer.getInteger("soak.jobs", 300);
    private static final int KILLS = Integer.getInteger("soak.kills", 100);
    /** The longest pause between two kills: jobs last a few seconds, so kills land mid-step. */
    private static final int MAX_KILL_INTERVAL_MS = 3000;
    /**
     * Short, so a killed replica's steps are taken over within seconds. A running step's lease is
     * extended every third of it (LeaseHeartbeat); before that existed, a 5 s lease let a replica
     * starved on a load of 20 be overtaken and its SSM write run twice. 30 s leaves a heartbeat that
     * is itself starved for seconds room to spare.
     */
    private static final String LEASE = "PT30S";

    @Test
    @Timeout(value = 4, unit = TimeUnit.HOURS)
    void jobsSurviveKillsOnThreeReplicasWithEverySideEffectOnceAndEveryChainValid() throws InterruptedException {
        long seed = Long.getLong("soak.seed", System.nanoTime());
        System.out.printf("[soak] seed %d: %d jobs, %d kills over 3 replicas%n", seed, JOBS, KILLS);
        Random random = new Random(seed);
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        JdbcTemplate jdbc = database.jdbc();
        String bucket = Estate.versionedBucket("ferry-soak");
        Map<UUID, Script> jobs = new LinkedHashMap<>();
        Settlement settlement = new Settlement(jdbc, jobs);
        Instant begin = Instant.now();
        int leasedAtKills = 0;
        try (Replicas replicas = Replicas.start(database, "ferry.worker.lease=" + LEASE, "ferry.worker.concurrency=4");
                Conductor conductor = new Conductor(replicas, jdbc)) {
            Map<Boolean, String> plans = Map.of(
                    false, Operator.registerPlan(replicas.get(0), "soak", Script.plan(false)),
                    true, Operator.registerPlan(replicas.get(0), "soak-gated", Script.plan(true)));
            for (int kill = 1; kill <= KILLS; kill++) {
                startUpTo(JOBS * kill / KILLS, jobs, replicas, conductor, plans, bucket);
                // The workload's rhythm, not a wait for anything: kills fall at random moments.
                Thread.sleep(random.nextInt(MAX_KILL_INTERVAL_MS));
                leasedAtKills += settlement.leasesLeft();
                replicas.killAndRestart(random.nextInt(replicas.size()));
            }
            startUpTo(JOBS, jobs, replicas, conductor, plans, bucket);
            settlement.awaitQuiet(Duration.ofMinutes(20));

            Map<String, Integer> byState = settlement.assertStatesAsScripted();
            int sideEffects = settlement.assertSideEffectsOnce(bucket);
            settlement.assertStepsRecordedOnce();
            int events = settlement.assertTimelinesIntact(replicas.get(0));
            settlement.assertNothingLeftRunning();
            assertThat(conductor.surprises()).as("unexpected answers").isEmpty();
            assertThat(conductor.creatorRefusals())
                    .as("creators refused as approvers")
                    .isEqualTo((int) jobs.values().stream()
                            .filter(Script.APPROVED::equals)
                            .count());
            new SoakSummary(
                            seed,
                            jobs.size(),
                            byState,
                            replicas.kills(),
                            replicas.restarts(),
                            leasedAtKills,
                            conductor.approvals(),
                            conductor.creatorRefusals(),
                            conductor.rollbacks(),
                            sideEffects,
                            events,
                            settlement.leasesLeft(),
                            Duration.between(begin, Instant.now()))
                    .print();
        }
    }

    /** Creates and starts jobs, cycling through the scripts, until {@code total} exist. */
    private static void startUpTo(
            int total,
            Map<UUID, Script> jobs,
            Replicas replicas,
            Conductor conductor,
            Map<Boolean, String> plans,
            String bucket) {
        while (jobs.size() < total) {
            Script script = Script.of(jobs.size());
            UUID id = start(replicas, plans.get(script.gated()), bucket, "soak job " + jobs.size());
            jobs.put(id, script);
            conductor.follow(id, script);
        }
    }

    /** Creation carries an idempotency key and start is checked, so a request lost in a kill is safe to resend. */
    private static UUID start(Replicas replicas, String plan, String bucket, String name) {
        String key = UUID.randomUUID().toString();
        Api.Response created = replicas.send(r -> Operator.as(r)
                .header("Idempotency-Key", key)
                .post("/api/v1/jobs", Map.of("plan", plan, "name", name, "parameters", Map.of("bucket", bucket))));
        assertThat(created.status()).as(created.toString()).isIn(200, 201);
        UUID id = UUID.fromString(created.json().get("id").asText());
        Api.Response started = replicas.send(r -> Operator.as(r).post("/api/v1/jobs/" + id + "/start", null));
        // 409: an earlier attempt whose answer was lost in a kill did start it.
        assertThat(started.status()).as(started.toString()).isIn(200, 409);
        return id;
    }
}
