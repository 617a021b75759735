package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionRegistry;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.StepSpec;
import dev.ferry.plan.Template;
import dev.ferry.plan.TemplateException;
import dev.ferry.plan.TemplateScope;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The AWS resources jobs hold, in PostgreSQL ({@code resource_lock}: the primary key is the lock).
 * Called inside a job's transaction: acquiring is all-or-nothing, in sorted order so two jobs
 * never deadlock; releasing (on every terminal state) wakes the jobs waiting for resources.
 */
@Component
public class ResourceLocks {

    private final JdbcTemplate jdbc;
    private final PlanCatalog plans;
    private final ActionRegistry actions;
    private final ReadyWork readyWork;

    ResourceLocks(JdbcTemplate jdbc, PlanCatalog plans, ActionRegistry actions, ReadyWork readyWork) {
        this.jdbc = jdbc;
        this.plans = plans;
        this.actions = actions;
        this.readyWork = readyWork;
    }

    /** A resource held by another job. */
    public record Conflict(String resource, UUID holder) {}

    /**
     * The resources the job's steps from {@code from} on would change, as far as they are known now
     * (a step whose parameters need outputs of steps not run yet names what it can later).
     */
    Set<String> resourcesOf(MigrationJob job, Phase from) {
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        job.steps().stream().filter(s -> s.output() != null).forEach(s -> outputs.put(s.stepId(), s.output()));
        // Secret values stay sealed here: a resource is never named by a secret, and lock rows are not secret.
        TemplateScope scope = new TemplateScope(
                (ObjectNode) job.parameters(), outputs, job.id().toString(), job.name());
        Set<String> resources = new TreeSet<>();
        for (StepSpec step :
                plans.findById(job.planId()).orElseThrow().document().steps().toList()) {
            boolean inRange =
                    job.step(step.id()).map(s -> s.phase().compareTo(from) >= 0).orElse(false);
            if (!inRange || actions.find(step.action()).isEmpty()) {
                continue;
            }
            try {
                resources.addAll(actions.find(step.action()).get().resources(Template.resolve(step.with(), scope)));
            } catch (TemplateException notYetKnown) {
                // Depends on an output not produced yet: a resource this job creates, nobody else's.
            }
        }
        return resources;
    }

    /** Takes every resource or none; empty when the job now holds them all. */
    Optional<Conflict> acquire(UUID jobId, Set<String> resources, Instant now) {
        if (resources.isEmpty()) {
            return Optional.empty();
        }
        Optional<Conflict> conflict = conflict(jobId, resources);
        if (conflict.isPresent()) {
            return conflict;
        }
        for (String resource : new TreeSet<>(resources)) {
            jdbc.update(
                    "INSERT INTO resource_lock (resource, job_id, acquired_at) VALUES (?, ?, ?) "
                            + "ON CONFLICT DO NOTHING",
                    resource,
                    jobId,
                    Timestamp.from(now));
        }
        conflict = conflict(jobId, resources);
        if (conflict.isPresent()) {
            jdbc.update("DELETE FROM resource_lock WHERE job_id = ? AND resource = ANY (?)", jobId, array(resources));
        }
        return conflict;
    }

    /** Releases everything the job holds and wakes the jobs waiting for resources. */
    int release(UUID jobId, Instant now) {
        int released = jdbc.update("DELETE FROM resource_lock WHERE job_id = ?", jobId);
        if (released > 0) {
            jdbc.update(
                    "UPDATE migration_job SET wake_at = ?, version = version + 1 "
                            + "WHERE state = 'WAITING' AND waiting_for ->> 'kind' = 'resources' AND id <> ?",
                    Timestamp.from(now),
                    jobId);
            readyWork.announce();
        }
        return released;
    }

    /** Which of {@code resources} other jobs hold now, and who (preflight's look; takes nothing). */
    public Map<String, UUID> heldByOthers(UUID jobId, Set<String> resources) {
        if (resources.isEmpty()) {
            return Map.of();
        }
        Map<String, UUID> held = new LinkedHashMap<>();
        jdbc.query(
                "SELECT resource, job_id FROM resource_lock WHERE resource = ANY (?) AND job_id <> ? "
                        + "ORDER BY resource",
                rs -> {
                    held.put(rs.getString(1), rs.getObject(2, UUID.class));
                },
                array(resources),
                jobId);
        return held;
    }

    public List<String> heldBy(UUID jobId) {
        return jdbc.queryForList(
                "SELECT resource FROM resource_lock WHERE job_id = ? ORDER BY resource", String.class, jobId);
    }

    private Optional<Conflict> conflict(UUID jobId, Set<String> resources) {
        return jdbc
                .query(
                        "SELECT resource, job_id FROM resource_lock WHERE resource = ANY (?) AND job_id <> ? "
                                + "ORDER BY resource LIMIT 1",
                        (rs, i) -> new Conflict(rs.getString(1), rs.getObject(2, UUID.class)),
                        array(resources),
                        jobId)
                .stream()
                .findFirst();
    }

    private Array array(Set<String> values) {
        return jdbc.execute((ConnectionCallback<Array>) c -> c.createArrayOf("text", values.toArray()));
    }
}
