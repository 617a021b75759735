package dev.ferry.soak;

import dev.ferry.support.Api;
import dev.ferry.support.Operator;
import dev.ferry.support.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Plays the people around the jobs while replicas die: watches job states in the database and,
 * as each job's {@link Script} says, approves the CUTOVER gate (two approvers, after checking that
 * the creator is refused) or rolls the job back, over HTTP to whichever replica is up.
 */
final class Conductor implements AutoCloseable {

    static final List<String> APPROVERS = List.of("soak-approver-1", "soak-approver-2");
    private static final Duration ROUND = Duration.ofMillis(250);

    private final Replicas replicas;
    private final JdbcTemplate jdbc;
    private final Map<UUID, Script> scripts = new ConcurrentHashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private final AtomicInteger approvals = new AtomicInteger();
    private final AtomicInteger creatorRefusals = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private final List<String> surprises = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor();

    Conductor(Replicas replicas, JdbcTemplate jdbc) {
        this.replicas = replicas;
        this.jdbc = jdbc;
        rounds.scheduleWithFixedDelay(this::round, 0, ROUND.toMillis(), TimeUnit.MILLISECONDS);
    }

    void follow(UUID job, Script script) {
        scripts.put(job, script);
    }

    private void round() {
        try {
            jdbc.queryForList("SELECT id, state FROM migration_job WHERE state IN ('RUNNING', 'AWAITING_APPROVAL')")
                    .forEach(row -> act((UUID) row.get("id"), (String) row.get("state")));
        } catch (RuntimeException e) {
            // A round that fails (a request that kept failing over) is tried again by the next one.
            surprises.add("round failed: " + e);
        }
    }

    private void act(UUID job, String state) {
        Script script = scripts.get(job);
        if (script == null) {
            return;
        }
        boolean atGate = state.equals("AWAITING_APPROVAL");
        switch (script) {
            case APPROVED -> {
                if (atGate) {
                    approve(job);
                }
            }
            case ROLLED_BACK_EARLY -> rollBack(job);
            case ROLLED_BACK_AT_GATE -> {
                if (atGate) {
                    rollBack(job);
                }
            }
            case PLAIN -> {}
        }
    }

    private void approve(UUID job) {
        String path = "/api/v1/jobs/" + job + "/phases/cutover/approve";
        once(job + " creator", () -> {
            int status = replicas.send(
                            r -> as(r, Operator.USER, "operator", "approver").post(path, Map.of()))
                    .status();
            expect(job, "the creator's approval", status, 403);
            creatorRefusals.incrementAndGet();
        });
        for (String approver : APPROVERS) {
            once(job + " " + approver, () -> {
                int status = replicas.send(r -> as(r, approver, "approver").post(path, Map.of()))
                        .status();
                // 409: the gate closed already because a lost answer's approval did count.
                expect(job, "approval by " + approver, status, 200, 409);
                approvals.incrementAndGet();
            });
        }
    }

    private void rollBack(UUID job) {
        once(job + " rollback", () -> {
            int status = replicas.send(r -> Operator.as(r)
                            .post("/api/v1/jobs/" + job + "/rollback", Map.of("reason", "soak: scripted rollback")))
                    .status();
            expect(job, "rollback", status, 200);
            rollbacks.incrementAndGet();
        });
    }

    private void once(String key, Runnable action) {
        if (!done.contains(key)) {
            action.run();
            done.add(key);
        }
    }

    private void expect(UUID job, String what, int status, Integer... allowed) {
        if (!List.of(allowed).contains(status)) {
            surprises.add(what + " of " + job + " answered " + status);
        }
    }

    private static Api as(ServiceProcess replica, String user, String... roles) {
        return ServiceProcess.authenticated(replica.api(), user, roles);
    }

    int approvals() {
        return approvals.get();
    }

    int creatorRefusals() {
        return creatorRefusals.get();
    }

    int rollbacks() {
        return rollbacks.get();
    }

    /** Answers nobody should have given, and rounds that failed. */
    List<String> surprises() {
        return List.copyOf(surprises);
    }

    @Override
    public void close() {
        rounds.shutdownNow();
    }
}
