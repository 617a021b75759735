package dev.ferry.aws.ecs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Judges a STOPPED one-off task: it did its job only if every essential container reported exit
 * code 0 and ECS did not stop it for another reason (failed to start, stopped by someone, spot
 * reclaim). A container that reports no exit code never ran.
 */
final class TaskOutcome {

    /** Stop codes that mean the task was cut short, whatever its containers returned on SIGTERM. */
    private static final Set<String> ABORTED = Set.of(
            "TaskFailedToStart", "UserInitiated", "ServiceSchedulerInitiated", "SpotInterruption", "TerminationNotice");

    private TaskOutcome() {}

    static ActionResult judge(Task task, Set<String> essential) {
        ObjectNode detail = JsonNodeFactory.instance
                .objectNode()
                .put("taskArn", task.taskArn())
                .put("stopCode", task.stopCodeAsString())
                .put("stoppedReason", task.stoppedReason());
        ObjectNode exitCodes = detail.putObject("exitCodes");
        List<String> problems = new ArrayList<>();
        if (task.stopCodeAsString() != null && ABORTED.contains(task.stopCodeAsString())) {
            problems.add("stopped with " + task.stopCodeAsString() + ": " + task.stoppedReason());
        }
        for (String name : essential) {
            Container container = task.containers().stream()
                    .filter(c -> name.equals(c.name()))
                    .findFirst()
                    .orElse(null);
            Integer exit = container == null ? null : container.exitCode();
            exitCodes.put(name, exit);
            if (exit == null) {
                problems.add("essential container " + name + " reported no exit code"
                        + (container == null || container.reason() == null ? "" : " (" + container.reason() + ")"));
            } else if (exit != 0) {
                problems.add("essential container " + name + " exited " + exit
                        + (container.reason() == null ? "" : " (" + container.reason() + ")"));
            }
        }
        if (problems.isEmpty()) {
            return ActionResult.succeeded(detail);
        }
        return new ActionResult.Failed(
                false, "TaskFailed", "ECS task " + task.taskArn() + ": " + String.join("; ", problems), detail);
    }
}
