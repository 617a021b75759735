package dev.ferry.aws.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.AwsAction;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * {@code aws.cloudwatch.compareToBaseline}: the seeds' relative rollback criteria, as a gate
 * check. Measures the same thing as the baseline over the recent {@code lookback} and fails when it
 * is above {@code baseline + maxIncrease} (e.g. error rate + 0.5 percentage points) or above
 * {@code baseline × maxRatio} (e.g. p99 × 1.5). No data is {@code NO_DATA}, which a gate counts as
 * inconclusive. Read-only.
 */
@Component
public class CompareToBaselineAction extends AwsAction {

    public static final String NAME = "aws.cloudwatch.compareToBaseline";

    public CompareToBaselineAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        CloudWatchClient cloudWatch = clients.client("cloudwatch", CloudWatchClient::builder, target);
        Duration lookback = Duration.parse(with.path("lookback").asText("PT5M"));
        MetricWindow.Measurement m = MetricWindow.measure(cloudWatch, with.get("measure"), context.now(), lookback);
        double baseline = with.get("baseline").asDouble();
        ObjectNode output = m.detail().deepCopy().put("baseline", baseline);
        if (m.value().isEmpty()) {
            return new ActionResult.Failed(
                    false,
                    "NO_DATA",
                    "no data for " + MetricWindow.describe(with.get("measure")) + " over the last " + lookback,
                    output);
        }
        double current = m.value().getAsDouble();
        output.put("current", current);
        List<String> breaches = new ArrayList<>();
        if (with.hasNonNull("maxIncrease")) {
            double limit = baseline + with.get("maxIncrease").asDouble();
            output.put("increaseLimit", limit);
            if (current > limit) {
                breaches.add(current + " > baseline " + baseline + " + "
                        + with.get("maxIncrease").asDouble());
            }
        }
        if (with.hasNonNull("maxRatio")) {
            double limit = baseline * with.get("maxRatio").asDouble();
            output.put("ratioLimit", limit);
            if (current > limit) {
                breaches.add(current + " > baseline " + baseline + " × "
                        + with.get("maxRatio").asDouble());
            }
        }
        if (!breaches.isEmpty()) {
            return new ActionResult.Failed(
                    false,
                    "BASELINE_EXCEEDED",
                    MetricWindow.describe(with.get("measure")) + " over the last " + lookback + ": "
                            + String.join("; ", breaches),
                    output);
        }
        return ActionResult.succeeded(output);
    }

    @Override
    public String describe(JsonNode with) {
        List<String> limits = new ArrayList<>();
        if (with.hasNonNull("maxIncrease")) {
            limits.add("more than " + with.get("maxIncrease").asText() + " above");
        }
        if (with.hasNonNull("maxRatio")) {
            limits.add("more than " + with.get("maxRatio").asText() + " times");
        }
        return "Check that " + MetricWindow.describe(with.path("measure")) + " over the last "
                + with.path("lookback").asText("PT5M") + " is not " + String.join(" or ", limits) + " the baseline "
                + with.path("baseline").asText() + " (read-only)";
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        return MetricWindow.plannedReads(parameters.path("measure"));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        return List.of(MetricWindow.known(
                clients.client("cloudwatch", CloudWatchClient::builder, target), parameters.path("measure")));
    }
}
