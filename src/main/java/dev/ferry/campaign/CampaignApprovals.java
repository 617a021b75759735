package dev.ferry.campaign;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.approval.ApprovalNotOpenException;
import dev.ferry.approval.ApprovalOutcome;
import dev.ferry.approval.PhaseApprovals;
import dev.ferry.common.Actor;
import dev.ferry.lifecycle.JobState;
import dev.ferry.plan.Phase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Approvals at fleet scale. A wave's approval follows the rules of a phase approval (roles,
 * four-eyes against the campaign's creator, expiry, one live approval per person). A fleet
 * approval of a phase is the per-job approval of every job of the wave waiting at that phase,
 * each through {@link PhaseApprovals} under that job's lock: four-eyes, roles and the binding to
 * plan version and parameters are checked job by job, exactly as for a single approval.
 */
@Service
public class CampaignApprovals {

    private final CampaignStore store;
    private final PhaseApprovals approvals;
    private final CampaignDriver driver;
    private final TransactionTemplate transactions;
    private final Clock clock;

    CampaignApprovals(
            CampaignStore store,
            PhaseApprovals approvals,
            CampaignDriver driver,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.store = store;
        this.approvals = approvals;
        this.driver = driver;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** What a wave approval did: how many valid approvals there are now, and whether the wave may begin. */
    public record WaveApprovalOutcome(int approvals, int required, boolean approved) {}

    /** Approves wave {@code wave} (1-based), which must be the one the campaign is waiting for. */
    public WaveApprovalOutcome approveWave(UUID id, int wave, Actor actor, String comment) {
        WaveApprovalOutcome outcome = transactions.execute(s -> {
            CampaignStore.Campaign c = store.lock(id).orElseThrow(() -> new CampaignNotFoundException(id));
            int index = index(c, wave);
            if (c.state() != CampaignState.AWAITING_APPROVAL || c.currentWave() != index) {
                throw new WaveApprovalNotOpenException(wave, c.state(), c.currentWave() + 1);
            }
            CampaignDefinition.WaveApproval policy =
                    c.definition().waves().get(index).approval();
            if (policy.separationOfDuties() && actor.name().equals(c.createdBy())) {
                throw WaveApprovalForbiddenException.ownCampaign(actor.name());
            }
            if (!actor.hasAnyRole(policy.roles())) {
                throw WaveApprovalForbiddenException.missingRole(actor.name(), policy.roles());
            }
            Instant now = clock.instant();
            // Given again (say, after it expired): the new one replaces the old.
            store.supersedeApproval(id, index, actor.name(), now);
            Instant expiresAt = policy.expiresAfter() == null ? null : now.plus(policy.expiresAfter());
            store.insertApproval(id, index, actor.name(), comment, now, expiresAt);
            int valid = store.validApprovals(id, index, now).size();
            ObjectNode detail = JsonNodeFactory.instance
                    .objectNode()
                    .put("approvals", valid)
                    .put("required", policy.required());
            if (expiresAt != null) {
                detail.put("expiresAt", expiresAt.toString());
            }
            store.record(id, now, actor.name(), CampaignEventType.WAVE_APPROVAL_RECORDED, wave, comment, detail);
            boolean approved = valid >= policy.required();
            if (approved) {
                store.waveTimes(id, index, "approved_at", now);
                store.state(id, CampaignState.RUNNING, now, null);
                store.record(id, now, actor.name(), CampaignEventType.WAVE_APPROVED, wave, comment, detail);
            }
            return new WaveApprovalOutcome(valid, policy.required(), approved);
        });
        if (outcome.approved()) {
            driver.wake();
        }
        return outcome;
    }

    /** One job of a fleet approval. */
    public record FleetEntry(String target, UUID job, int approvals, int required, boolean phaseStarted) {}

    /**
     * @param approved the jobs whose approval was recorded
     * @param notWaiting targets of the wave whose job is not waiting at this phase (named, so nobody
     *     believes them approved)
     */
    public record FleetOutcome(Phase phase, int wave, List<FleetEntry> approved, List<String> notWaiting) {}

    /**
     * Approves {@code phase} for every job of the wave waiting at it. The comment each job's
     * timeline records names the campaign and the wave. A refusal (four-eyes, a missing role) on
     * the first job stops the whole decision, so nothing is half-approved for that reason; a job
     * that stopped waiting meanwhile is listed as not waiting.
     */
    public FleetOutcome approvePhase(UUID id, int wave, Phase phase, Actor actor, String comment) {
        CampaignStore.Campaign c = store.find(id).orElseThrow(() -> new CampaignNotFoundException(id));
        int index = index(c, wave);
        String note = "campaign " + c.name() + " (" + id + ") wave " + wave + (comment == null ? "" : ": " + comment);
        List<FleetEntry> approved = new ArrayList<>();
        List<String> notWaiting = new ArrayList<>();
        for (CampaignStore.Target t : store.targets(id)) {
            if (t.wave() != index) {
                continue;
            }
            if (t.jobId() == null
                    || t.jobState() != JobState.AWAITING_APPROVAL
                    || !phase.name().equals(t.currentPhase())) {
                notWaiting.add(t.name());
                continue;
            }
            try {
                ApprovalOutcome outcome = approvals.approve(t.jobId(), phase, actor, note);
                approved.add(new FleetEntry(
                        t.name(), t.jobId(), outcome.approvals(), outcome.required(), outcome.phaseStarted()));
            } catch (ApprovalNotOpenException e) {
                notWaiting.add(t.name());
            }
        }
        transactions.executeWithoutResult(s -> {
            store.lock(id);
            ObjectNode detail = JsonNodeFactory.instance
                    .objectNode()
                    .put("phase", phase.name())
                    .put("approved", approved.size())
                    .put("notWaiting", notWaiting.size());
            store.record(id, clock.instant(), actor.name(), CampaignEventType.FLEET_APPROVAL, wave, comment, detail);
        });
        return new FleetOutcome(phase, wave, approved, notWaiting);
    }

    private static int index(CampaignStore.Campaign c, int wave) {
        int waves = c.definition().waves().size();
        if (wave < 1 || wave > waves) {
            throw new WaveNotFoundException(wave, waves);
        }
        return wave - 1;
    }
}
