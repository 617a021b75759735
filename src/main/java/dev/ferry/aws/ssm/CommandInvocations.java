package dev.ferry.aws.ssm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

/** Per-instance results of one Run Command, and the verdict on them. */
final class CommandInvocations {

    /** How much of stdout/stderr is kept: the end, where errors usually are. */
    static final int EXCERPT = 2_000;

    private static final Set<String> TERMINAL = Set.of("Success", "Failed", "Cancelled", "TimedOut");

    private CommandInvocations() {}

    record Outcome(String status, Integer responseCode, String stdout, String stderr) {

        boolean terminal() {
            return TERMINAL.contains(status);
        }

        boolean succeeded() {
            return "Success".equals(status) && (responseCode == null || responseCode == 0);
        }
    }

    static Map<String, Outcome> poll(SsmClient ssm, String commandId, List<String> instances) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (String instance : instances) {
            try {
                GetCommandInvocationResponse invocation =
                        ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(instance));
                outcomes.put(
                        instance,
                        new Outcome(
                                invocation.statusAsString(),
                                invocation.responseCode(),
                                invocation.standardOutputContent(),
                                invocation.standardErrorContent()));
            } catch (InvocationDoesNotExistException notYet) {
                // Right after SendCommand the invocation may not be visible yet.
                outcomes.put(instance, new Outcome("Pending", null, null, null));
            }
        }
        return outcomes;
    }

    static ActionResult judge(String commandId, Map<String, Outcome> outcomes) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode().put("commandId", commandId);
        ObjectNode instances = detail.putObject("instances");
        List<String> failures = new ArrayList<>();
        outcomes.forEach((id, outcome) -> {
            instances
                    .putObject(id)
                    .put("status", outcome.status())
                    .put("responseCode", outcome.responseCode())
                    .put("stdout", tail(outcome.stdout()))
                    .put("stderr", tail(outcome.stderr()));
            if (!outcome.succeeded()) {
                failures.add(id + ": " + outcome.status() + " (exit " + outcome.responseCode() + ")");
            }
        });
        if (failures.isEmpty()) {
            return ActionResult.succeeded(detail);
        }
        return new ActionResult.Failed(
                false,
                "CommandFailed",
                "SSM command " + commandId + " failed on " + String.join(", ", failures),
                detail);
    }

    static String tail(String text) {
        if (text == null || text.length() <= EXCERPT) {
            return text;
        }
        return "…" + text.substring(text.length() - EXCERPT);
    }
}
