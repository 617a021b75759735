package dev.ferry.aws.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * {@code aws.cloudwatch.captureBaseline}: in PREPARE, records how the old system behaves (error
 * rate, p99 latency, ...) over a recent window, so OBSERVE can compare the new one with it
 * ({@code aws.cloudwatch.compareToBaseline}, reading {@code ${steps.<id>.output.<measure>}}). A
 * measure without data fails the step: a comparison with nothing would pass anything. Read-only.
 */
@Component
public class CaptureBaselineAction extends AwsAction {

    public static final String NAME = "aws.cloudwatch.captureBaseline";

    public CaptureBaselineAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        CloudWatchClient cloudWatch = clients.client("cloudwatch", CloudWatchClient::builder, target);
        Duration lookback = Duration.parse(with.path("lookback").asText("PT1H"));
        ObjectNode output = JsonNodeFactory.instance.objectNode().put("lookback", lookback.toString());
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> measure : with.get("measures").properties()) {
            MetricWindow.Measurement m = MetricWindow.measure(cloudWatch, measure.getValue(), context.now(), lookback);
            details.set(measure.getKey(), m.detail());
            if (m.value().isEmpty()) {
                return new ActionResult.Failed(
                        false,
                        "NO_DATA",
                        "no data for baseline measure " + measure.getKey() + " ("
                                + MetricWindow.describe(measure.getValue()) + ") over the last " + lookback,
                        output.set("details", details));
            }
            output.put(measure.getKey(), m.value().getAsDouble());
        }
        output.set("details", details);
        return ActionResult.succeeded(output);
    }

    @Override
    public String describe(JsonNode with) {
        StringBuilder measures = new StringBuilder();
        with.path("measures").properties().forEach(m -> measures.append(measures.length() == 0 ? "" : "; ")
                .append(m.getKey())
                .append(" = ")
                .append(MetricWindow.describe(m.getValue())));
        return "Record the baseline over the last " + with.path("lookback").asText("PT1H") + ": " + measures
                + " (read-only)";
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        List<PlannedCall> calls = new ArrayList<>();
        parameters.path("measures").forEach(m -> calls.addAll(MetricWindow.plannedReads(m)));
        return calls;
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        CloudWatchClient cloudWatch = clients.client("cloudwatch", CloudWatchClient::builder, target);
        List<PreflightFinding> findings = new ArrayList<>();
        parameters.path("measures").forEach(m -> findings.add(MetricWindow.known(cloudWatch, m)));
        return findings;
    }
}
