package dev.ferry.aws.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * {@code aws.cloudwatch.metricThreshold}: the seeds' rollback criteria ("error rate > 5%",
 * "response time > 2 s", {@code HTTPCode_Target_5XX_Count} sum &gt; 5). Reads one metric over the
 * last {@code lookback} with GetMetricData (which takes plain and extended statistics alike) and
 * fails when at least {@code datapointsToFail} datapoints are above {@code greaterThan} or below
 * {@code lessThan}, like an alarm's "M out of N". No data at all is a failure ({@code NO_DATA})
 * unless {@code treatMissingAs: ok}: a silent metric must not pass a gate by accident. Read-only.
 */
@Component
public class MetricThresholdAction extends AwsAction {

    public static final String NAME = "aws.cloudwatch.metricThreshold";

    public MetricThresholdAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    private record Datapoint(Instant at, double value) {}

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        CloudWatchClient cloudWatch = clients.client("cloudwatch", CloudWatchClient::builder, target);
        Instant end = context.now();
        Instant start = end.minus(Duration.parse(with.path("lookback").asText("PT5M")));
        List<Datapoint> points = read(cloudWatch, with, start, end);
        ObjectNode output = JsonNodeFactory.instance
                .objectNode()
                .put(
                        "metric",
                        with.path("namespace").asText() + "/"
                                + with.path("metricName").asText())
                .put("statistic", statistic(with))
                .put("start", start.toString())
                .put("end", end.toString());
        ArrayNode considered = output.putArray("datapoints");
        int breaches = 0;
        for (Datapoint point : points) {
            boolean breach = breaches(with, point.value());
            breaches += breach ? 1 : 0;
            considered
                    .addObject()
                    .put("timestamp", point.at().toString())
                    .put("value", point.value())
                    .put("breach", breach);
        }
        output.put("breaches", breaches);
        if (points.isEmpty()) {
            if ("ok".equals(with.path("treatMissingAs").asText("fail"))) {
                return ActionResult.succeeded(output.put("noData", true));
            }
            return new ActionResult.Failed(
                    false,
                    "NO_DATA",
                    "no datapoints for " + output.get("metric").asText() + " between " + start + " and " + end,
                    output);
        }
        int needed = with.path("datapointsToFail").asInt(1);
        if (breaches >= needed) {
            return new ActionResult.Failed(
                    false,
                    "THRESHOLD_BREACHED",
                    breaches + " of " + points.size()
                            + " datapoints of " + output.get("metric").asText() + " " + statistic(with) + " are "
                            + condition(with),
                    output);
        }
        return ActionResult.succeeded(output);
    }

    private static List<Datapoint> read(CloudWatchClient cloudWatch, JsonNode with, Instant start, Instant end) {
        List<Dimension> dimensions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> d : with.path("dimensions").properties()) {
            dimensions.add(Dimension.builder()
                    .name(d.getKey())
                    .value(d.getValue().asText())
                    .build());
        }
        MetricDataQuery query = MetricDataQuery.builder()
                .id("m")
                .returnData(true)
                .metricStat(s -> s.stat(statistic(with))
                        .period(with.path("period").asInt(60))
                        .metric(m -> m.namespace(with.path("namespace").asText())
                                .metricName(with.path("metricName").asText())
                                .dimensions(dimensions)))
                .build();
        List<Datapoint> points = new ArrayList<>();
        for (GetMetricDataResponse page : cloudWatch.getMetricDataPaginator(r -> r.startTime(start)
                .endTime(end)
                .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .metricDataQueries(query))) {
            for (MetricDataResult result : page.metricDataResults()) {
                for (int i = 0; i < result.values().size(); i++) {
                    points.add(new Datapoint(
                            result.timestamps().get(i), result.values().get(i)));
                }
            }
        }
        points.sort(Comparator.comparing(Datapoint::at));
        return points;
    }

    private static String statistic(JsonNode with) {
        return with.hasNonNull("extendedStatistic")
                ? with.get("extendedStatistic").asText()
                : with.path("statistic").asText("Average");
    }

    private static boolean breaches(JsonNode with, double value) {
        return with.hasNonNull("greaterThan") && value > with.get("greaterThan").asDouble()
                || with.hasNonNull("lessThan") && value < with.get("lessThan").asDouble();
    }

    private static String condition(JsonNode with) {
        List<String> parts = new ArrayList<>();
        if (with.hasNonNull("greaterThan")) {
            parts.add("> " + with.get("greaterThan").asText());
        }
        if (with.hasNonNull("lessThan")) {
            parts.add("< " + with.get("lessThan").asText());
        }
        return String.join(" or ", parts);
    }

    @Override
    public String describe(JsonNode with) {
        return "Check that " + with.path("namespace").asText() + "/"
                + with.path("metricName").asText() + " "
                + with.path("dimensions") + " " + statistic(with) + " per "
                + with.path("period").asInt(60)
                + " s over the last " + with.path("lookback").asText("PT5M") + " is not " + condition(with)
                + " (fails when " + with.path("datapointsToFail").asInt(1) + " datapoint(s) are; read-only)";
    }

    @Override
    public List<PlannedCall> plannedCalls(JsonNode parameters) {
        return List.of(PlannedCall.read(
                "CloudWatch",
                "GetMetricData",
                "cloudwatch:GetMetricData",
                JsonNodeFactory.instance
                        .objectNode()
                        .put(
                                "metric",
                                parameters.path("namespace").asText() + "/"
                                        + parameters.path("metricName").asText())));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode parameters, AwsTarget target) {
        return List.of(MetricWindow.known(clients.client("cloudwatch", CloudWatchClient::builder, target), parameters));
    }
}
