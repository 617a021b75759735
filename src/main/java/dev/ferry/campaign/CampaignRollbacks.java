package dev.ferry.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.Actor;
import dev.ferry.common.FerryException;
import dev.ferry.job.JobManagement;
import dev.ferry.lifecycle.JobState;
import dev.ferry.rollback.RollbackCoordinator;
import dev.ferry.rollback.RollbackUnavailableException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rolls back the jobs of a campaign, or of one wave, through the job rollback entry point (one
 * transaction per job, so one refusal does not undo the others): newest wave first, newest job
 * first within a wave. A job past its point of no return is reported, not forced.
 */
@Component
public class CampaignRollbacks {

    private final RollbackCoordinator rollbacks;
    private final JobManagement jobs;
    private final TransactionTemplate separately;

    CampaignRollbacks(
            RollbackCoordinator rollbacks, JobManagement jobs, PlatformTransactionManager transactionManager) {
        this.rollbacks = rollbacks;
        this.jobs = jobs;
        this.separately = new TransactionTemplate(transactionManager);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** A job the rollback touched or could not touch. */
    public record Entry(String target, int wave, UUID job, String state, String reason) {}

    /**
     * @param rolledBack rollback requested (or already under way, recorded as a duplicate)
     * @param cancelled created but never started: cancelled, nothing to undo
     * @param pastPointOfNoReturn an irreversible step has started: left as they are
     * @param refused the job's state allows no rollback (e.g. it was cancelled before anything ran)
     * @param notLaunched targets whose job was never created
     */
    public record Report(
            List<Entry> rolledBack,
            List<Entry> cancelled,
            List<Entry> pastPointOfNoReturn,
            List<Entry> refused,
            int notLaunched) {

        JsonNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.set("rolledBack", entries(rolledBack));
            node.set("cancelled", entries(cancelled));
            node.set("pastPointOfNoReturn", entries(pastPointOfNoReturn));
            node.set("refused", entries(refused));
            node.put("notLaunched", notLaunched);
            return node;
        }

        private static ArrayNode entries(List<Entry> entries) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            entries.forEach(e -> {
                ObjectNode o = array.addObject()
                        .put("target", e.target())
                        .put("wave", e.wave())
                        .put("job", e.job().toString())
                        .put("state", e.state());
                if (e.reason() != null) {
                    o.put("reason", e.reason());
                }
            });
            return array;
        }
    }

    Report rollBack(List<CampaignStore.Target> targets, String actorName, String reason) {
        Actor actor = new Actor(actorName, Set.of());
        List<Entry> rolledBack = new ArrayList<>();
        List<Entry> cancelled = new ArrayList<>();
        List<Entry> past = new ArrayList<>();
        List<Entry> refused = new ArrayList<>();
        int notLaunched = 0;
        List<CampaignStore.Target> newestFirst = targets.stream()
                .sorted(Comparator.comparingInt(CampaignStore.Target::wave)
                        .thenComparingInt(CampaignStore.Target::ordinal)
                        .reversed())
                .toList();
        for (CampaignStore.Target t : newestFirst) {
            if (t.jobId() == null) {
                notLaunched++;
                continue;
            }
            JobState state = t.jobState();
            if (state == JobState.ROLLED_BACK || state == JobState.CANCELLED || state == JobState.FAILED) {
                continue; // nothing left to undo
            }
            try {
                if (state == JobState.CREATED) {
                    separately.executeWithoutResult(s -> jobs.cancel(t.jobId(), actor, reason));
                    cancelled.add(entry(t, "CANCELLED", null));
                } else {
                    var outcome = separately.execute(s -> rollbacks.request(t.jobId(), actor, reason));
                    rolledBack.add(
                            entry(t, outcome.state().name(), outcome.duplicate() ? "already rolling back" : null));
                }
            } catch (RollbackUnavailableException e) {
                past.add(entry(t, String.valueOf(state), e.getMessage()));
            } catch (FerryException e) {
                refused.add(entry(t, String.valueOf(state), e.getMessage()));
            }
        }
        return new Report(rolledBack, cancelled, past, refused, notLaunched);
    }

    private static Entry entry(CampaignStore.Target t, String state, String reason) {
        return new Entry(t.name(), t.wave() + 1, t.jobId(), state, reason);
    }
}
