package dev.ferry.aws.route53;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Submit a change batch once, then poll GetChange until Route 53 reports it {@code INSYNC} on all
 * its name servers (usually within a minute), returning "in progress" in between.
 */
final class Changes {

    static final Duration POLL = Duration.ofSeconds(5);

    private Changes() {}

    /**
     * The change id is kept in {@code progress} under {@code key}: a call that finds it polls, one
     * that does not submits. Resubmitting after a lost result is harmless: the batches are UPSERTs,
     * or DELETEs of a record just read.
     */
    static ActionResult submitAndAwait(
            Route53Client route53,
            ObjectNode progress,
            String key,
            Supplier<String> submit,
            Function<String, ObjectNode> done) {
        String id = progress.hasNonNull(key) ? progress.get(key).asText() : submit.get();
        progress.put(key, id);
        ChangeStatus status = route53.getChange(r -> r.id(id)).changeInfo().status();
        if (status == ChangeStatus.INSYNC) {
            return ActionResult.succeeded(done.apply(id));
        }
        return ActionResult.inProgress(POLL, progress, "Route 53 change " + id + " is " + status);
    }

    static String change(Route53Client route53, String zone, String comment, List<Change> changes) {
        return route53.changeResourceRecordSets(r ->
                        r.hostedZoneId(zone).changeBatch(b -> b.comment(comment).changes(changes)))
                .changeInfo()
                .id();
    }

    static Change of(ChangeAction action, ResourceRecordSet set) {
        return Change.builder().action(action).resourceRecordSet(set).build();
    }
}
