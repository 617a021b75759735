package dev.ferry.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.common.Actor;
import dev.ferry.job.RequestHashing;
import dev.ferry.plan.CanonicalJson;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.PlanNotFoundException;
import dev.ferry.plan.StoredPlan;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creating campaigns and the operator's commands on them. Each command is one transaction under
 * the campaign's row lock that changes its state and appends to its timeline; the driver then does
 * the work (or stops doing it).
 */
@Service
public class CampaignManagement {

    private final CampaignStore store;
    private final PlanCatalog plans;
    private final RequestHashing hashing;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;
    private final CampaignMetrics metrics;
    private final CampaignDriver driver;
    private final CampaignRollbacks rollbacks;

    CampaignManagement(
            CampaignStore store,
            PlanCatalog plans,
            ObjectProvider<RequestHashing> hashing,
            PlatformTransactionManager transactionManager,
            ObjectMapper json,
            Clock clock,
            CampaignMetrics metrics,
            CampaignDriver driver,
            CampaignRollbacks rollbacks) {
        this.rollbacks = rollbacks;
        this.store = store;
        this.plans = plans;
        this.hashing = hashing.getIfAvailable(() -> RequestHashing.UNKEYED);
        this.transactions = new TransactionTemplate(transactionManager);
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.driver = driver;
    }

    /** What a create request led to; {@code created} is false when an idempotent replay found it. */
    public record Created(UUID id, boolean created) {}

    /**
     * Creates a campaign, RUNNING at once (its first wave may wait for an approval). With an
     * idempotency key, the same key and request return the campaign created the first time; the
     * same key with another request is refused (422).
     */
    public Created create(NewCampaign request, Actor actor, String idempotencyKey) {
        StoredPlan plan = plans.find(request.plan(), request.planVersion())
                .orElseThrow(() -> new PlanNotFoundException(request.plan(), request.planVersion()));
        WavePlanning.Planned planned = WavePlanning.plan(request, plan.document());
        byte[] canonical = CanonicalJson.write(json.valueToTree(request)).getBytes(StandardCharsets.UTF_8);
        Created created;
        try {
            created = transactions.execute(s -> replay(actor, idempotencyKey, canonical)
                    .orElseGet(() -> insert(request, plan, planned, actor, idempotencyKey, canonical)));
        } catch (DuplicateKeyException raced) {
            // A concurrent request with the same key won the insert: answer as its replay.
            created = replay(actor, idempotencyKey, canonical).orElseThrow(() -> raced);
        }
        if (created.created()) {
            driver.wake();
        }
        return created;
    }

    private Optional<Created> replay(Actor actor, String key, byte[] canonical) {
        if (key == null) {
            return Optional.empty();
        }
        return store.byIdempotencyKey(actor.name(), key).map(found -> {
            if (!hashing.matches(found[1], canonical)) {
                throw new CampaignIdempotencyKeyReusedException(key, found[0]);
            }
            return new Created(UUID.fromString(found[0]), false);
        });
    }

    private Created insert(
            NewCampaign request,
            StoredPlan plan,
            WavePlanning.Planned planned,
            Actor actor,
            String key,
            byte[] canonical) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        store.insert(
                new CampaignStore.Campaign(
                        id,
                        request.name(),
                        plan.id(),
                        CampaignState.RUNNING,
                        0,
                        planned.definition(),
                        actor.name(),
                        now,
                        now,
                        null,
                        null,
                        0),
                key,
                key == null ? null : hashing.hash(canonical));
        for (int i = 0; i < planned.targets().size(); i++) {
            store.insertTarget(id, i, planned.waveOf().get(i), planned.targets().get(i));
        }
        ObjectNode detail = JsonNodeFactory.instance
                .objectNode()
                .put("plan", plan.name())
                .put("planVersion", plan.version())
                .put("planSha256", plan.sha256())
                .put("targets", planned.targets().size())
                .put("waves", planned.definition().waves().size());
        store.record(id, now, actor.name(), CampaignEventType.CAMPAIGN_CREATED, null, null, detail);
        metrics.campaignCreated();
        return new Created(id, true);
    }

    /** Stops starting jobs and moving waves on; the jobs that run go on. */
    public void pause(UUID id, Actor actor, String reason) {
        command(id, "pause", c -> {
            store.state(id, CampaignState.PAUSED, clock.instant(), null);
            store.record(id, clock.instant(), actor.name(), CampaignEventType.CAMPAIGN_PAUSED, wave(c), reason, null);
        });
    }

    /**
     * Goes on where it stopped. After a halt, the failures counted so far are accepted: the
     * threshold counts only new ones (a job still paused on its error keeps the wave from
     * finishing until someone retries, cancels or rolls it back).
     */
    public void resume(UUID id, Actor actor, String reason) {
        command(id, "resume", c -> {
            Instant now = clock.instant();
            ObjectNode detail =
                    JsonNodeFactory.instance.objectNode().put("from", c.state().name());
            if (c.state() == CampaignState.HALTED) {
                long failed = store.targets(id).stream()
                        .filter(t -> t.wave() == c.currentWave())
                        .filter(t -> t.policyState().failed())
                        .count();
                store.acceptFailures(id, c.currentWave(), (int) failed);
                detail.put("acceptedFailures", failed);
            }
            store.state(id, CampaignState.RUNNING, now, null);
            store.record(id, now, actor.name(), CampaignEventType.CAMPAIGN_RESUMED, wave(c), reason, detail);
        });
        driver.wake();
    }

    /** Ends the campaign: no job starts any more; jobs already running are left to finish as ordinary jobs. */
    public void cancel(UUID id, Actor actor, String reason) {
        command(id, "cancel", c -> {
            Instant now = clock.instant();
            store.state(id, CampaignState.CANCELLED, now, reason == null ? "cancelled by " + actor.name() : reason);
            store.record(id, now, actor.name(), CampaignEventType.CAMPAIGN_CANCELLED, wave(c), reason, null);
            metrics.campaignFinished("cancelled");
        });
    }

    /**
     * Rolls back every job of the campaign that can still be rolled back, newest wave first, and
     * starts no job any more. Jobs past their point of no return are reported, as are jobs whose
     * state allows no rollback. The campaign is ROLLED_BACK once none of its jobs is rolling back.
     */
    public CampaignRollbacks.Report rollback(UUID id, Actor actor, String reason) {
        CampaignRollbacks.Report[] report = new CampaignRollbacks.Report[1];
        command(id, "rollback", c -> {
            Instant now = clock.instant();
            String why = reason == null ? "campaign " + c.name() + " rolled back by " + actor.name() : reason;
            store.state(id, CampaignState.ROLLING_BACK, now, why);
            report[0] = rollbacks.rollBack(store.targets(id), actor.name(), "campaign " + c.name() + ": " + why);
            store.record(
                    id,
                    clock.instant(),
                    actor.name(),
                    CampaignEventType.CAMPAIGN_ROLLBACK_REQUESTED,
                    null,
                    reason,
                    report[0].toJson());
        });
        driver.wake();
        return report[0];
    }

    private void command(UUID id, String command, Consumer<CampaignStore.Campaign> change) {
        transactions.executeWithoutResult(s -> {
            CampaignStore.Campaign c = store.lock(id).orElseThrow(() -> new CampaignNotFoundException(id));
            if (!CampaignCommands.allows(c.state(), command)) {
                throw new CampaignCommandNotAllowedException(command, c.state());
            }
            change.accept(c);
        });
    }

    /** The wave number people see (1-based). */
    static int wave(CampaignStore.Campaign c) {
        return c.currentWave() + 1;
    }
}
