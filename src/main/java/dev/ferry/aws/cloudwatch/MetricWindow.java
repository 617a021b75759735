package dev.ferry.aws.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * One number for a metric over a window, the unit of baseline comparisons: a plain or extended
 * statistic (e.g. p99 of {@code TargetResponseTime}) computed by CloudWatch over the whole window
 * as one period, or, with {@code percentOf}, a rate in percent (e.g. 100 × sum of
 * {@code HTTPCode_Target_5XX_Count} ÷ sum of {@code RequestCount}) — computed here from two sums
 * rather than with metric math, so it reads the same on every CloudWatch-compatible endpoint.
 */
final class MetricWindow {

    private MetricWindow() {}

    /** A measured value with what it was computed from; {@code value} is empty without data. */
    record Measurement(OptionalDouble value, ObjectNode detail) {}

    static Measurement measure(CloudWatchClient cloudWatch, JsonNode spec, Instant end, Duration lookback) {
        // CloudWatch periods of a minute or more must be whole minutes; align the window with them.
        Instant to = end.truncatedTo(ChronoUnit.MINUTES);
        long minutes = Math.max(1, (lookback.toSeconds() + 59) / 60);
        Instant from = to.minus(Duration.ofMinutes(minutes));
        int period = (int) (minutes * 60);
        ObjectNode detail = JsonNodeFactory.instance
                .objectNode()
                .put("start", from.toString())
                .put("end", to.toString());
        if (spec.hasNonNull("percentOf")) {
            JsonNode base = spec.get("percentOf");
            ObjectNode denominatorSpec =
                    ((ObjectNode) spec.deepCopy()).without(List.of("percentOf", "statistic", "extendedStatistic"));
            denominatorSpec.put("metricName", base.get("metricName").asText());
            if (base.has("namespace")) {
                denominatorSpec.put("namespace", base.get("namespace").asText());
            }
            if (base.has("dimensions")) {
                denominatorSpec.set("dimensions", base.get("dimensions"));
            }
            List<Double> numerator = values(cloudWatch, spec, "Sum", period, from, to);
            List<Double> denominator = values(cloudWatch, denominatorSpec, "Sum", period, from, to);
            double errors = numerator.stream().mapToDouble(Double::doubleValue).sum();
            double total = denominator.stream().mapToDouble(Double::doubleValue).sum();
            detail.put("numerator", name(spec) + " Sum")
                    .put("numeratorValue", errors)
                    .put("denominator", name(denominatorSpec) + " Sum")
                    .put("denominatorValue", total);
            // No requests at all is no data, not a 0 % error rate.
            return new Measurement(
                    total > 0 ? OptionalDouble.of(100.0 * errors / total) : OptionalDouble.empty(),
                    detail.put("unit", "percent"));
        }
        String statistic = statistic(spec);
        List<Double> values = values(cloudWatch, spec, statistic, period, from, to);
        detail.put("metric", name(spec)).put("statistic", statistic).put("datapoints", values.size());
        // One period covers the window; an unaligned window can straddle two, whose values are averaged.
        return new Measurement(values.stream().mapToDouble(Double::doubleValue).average(), detail);
    }

    static String statistic(JsonNode spec) {
        return spec.hasNonNull("extendedStatistic")
                ? spec.get("extendedStatistic").asText()
                : spec.path("statistic").asText("Average");
    }

    static String describe(JsonNode spec) {
        if (spec.hasNonNull("percentOf")) {
            return name(spec) + " as a percentage of "
                    + spec.get("percentOf").path("metricName").asText();
        }
        return statistic(spec) + " of " + name(spec) + " " + spec.path("dimensions");
    }

    private static String name(JsonNode spec) {
        return spec.path("namespace").asText() + "/" + spec.path("metricName").asText();
    }

    private static List<Double> values(
            CloudWatchClient cloudWatch, JsonNode spec, String statistic, int period, Instant from, Instant to) {
        List<Dimension> dimensions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> d : spec.path("dimensions").properties()) {
            dimensions.add(Dimension.builder()
                    .name(d.getKey())
                    .value(d.getValue().asText())
                    .build());
        }
        MetricDataQuery query = MetricDataQuery.builder()
                .id("m")
                .returnData(true)
                .metricStat(s -> s.stat(statistic).period(period).metric(m -> m.namespace(
                                spec.path("namespace").asText())
                        .metricName(spec.path("metricName").asText())
                        .dimensions(dimensions)))
                .build();
        List<Double> values = new ArrayList<>();
        for (GetMetricDataResponse page : cloudWatch.getMetricDataPaginator(
                r -> r.startTime(from).endTime(to).metricDataQueries(query))) {
            for (MetricDataResult result : page.metricDataResults()) {
                values.addAll(result.values());
            }
        }
        return values;
    }

    /** The GetMetricData calls one measurement makes: one, or two for a rate ({@code percentOf}). */
    static List<PlannedCall> plannedReads(JsonNode spec) {
        List<PlannedCall> calls = new ArrayList<>();
        calls.add(PlannedCall.read(
                "CloudWatch",
                "GetMetricData",
                "cloudwatch:GetMetricData",
                JsonNodeFactory.instance.objectNode().put("metric", name(spec))));
        if (spec.hasNonNull("percentOf")) {
            calls.add(PlannedCall.read(
                    "CloudWatch",
                    "GetMetricData",
                    "cloudwatch:GetMetricData",
                    JsonNodeFactory.instance
                            .objectNode()
                            .put(
                                    "metric",
                                    spec.path("percentOf")
                                                    .path("namespace")
                                                    .asText(spec.path("namespace")
                                                            .asText()) + "/"
                                            + spec.path("percentOf")
                                                    .path("metricName")
                                                    .asText())));
        }
        return calls;
    }

    /**
     * Whether CloudWatch knows the metric (ListMetrics). Unknown is a warning, not a block: a metric
     * appears with its first datapoint, which for the new system may come only after the cutover.
     */
    static PreflightFinding known(CloudWatchClient cloudWatch, JsonNode spec) {
        List<DimensionFilter> filters = new ArrayList<>();
        for (Map.Entry<String, JsonNode> d : spec.path("dimensions").properties()) {
            filters.add(DimensionFilter.builder()
                    .name(d.getKey())
                    .value(d.getValue().asText())
                    .build());
        }
        boolean found = !cloudWatch
                .listMetrics(r -> r.namespace(spec.path("namespace").asText())
                        .metricName(spec.path("metricName").asText())
                        .dimensions(filters))
                .metrics()
                .isEmpty();
        return found
                ? PreflightFinding.ok("resource-exists", "cloudwatch:metric:" + name(spec), "the metric exists")
                : PreflightFinding.warning(
                        "resource-exists",
                        "cloudwatch:metric:" + name(spec) + " " + spec.path("dimensions"),
                        "CloudWatch has no such metric yet: the check will have no data until it has");
    }
}
