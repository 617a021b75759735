package dev.ferry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus rules in {@code docker/observability} parse, and every
 * metric they query exists in a real scrape of the service after it did some work, so a renamed
 * metric breaks this test rather than a dashboard at 3 a.m.
 */
class ObservabilityFilesIT extends FerryIT {

    private static final Path DIRECTORY = Path.of("docker", "observability");
    // A metric name inside PromQL: not a label, function, keyword or the text of a string.
    private static final Pattern METRIC =
            Pattern.compile("\\b((?:ferry|http|hikaricp|jvm|process)_[a-zA-Z0-9_]+|up)\\b");

    @Test
    void everyMetricTheDashboardAndRulesUseIsExported() throws Exception {
        JsonNode dashboard = new ObjectMapper()
                .readTree(DIRECTORY.resolve("grafana-dashboard.json").toFile());
        JsonNode rules = new YAMLMapper()
                .readTree(DIRECTORY.resolve("prometheus-rules.yaml").toFile());
        Set<String> used = new TreeSet<>();
        dashboard.get("panels").forEach(panel -> panel.get("targets")
                .forEach(t -> used.addAll(metrics(t.get("expr").asText()))));
        rules.at("/groups/0/rules").forEach(rule -> {
            assertThat(rule.get("alert").asText()).matches("Ferry[A-Za-z]+");
            assertThat(rule.at("/labels/severity").asText()).isIn("critical", "warning", "info");
            used.addAll(metrics(rule.get("expr").asText()));
        });
        assertThat(dashboard.get("panels").size()).isGreaterThanOrEqualTo(10);

        exercise();
        String scrape = api().get("/actuator/prometheus").body();
        Set<String> missing = new TreeSet<>();
        for (String metric : used) {
            if (!metric.equals("up")
                    && !Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]")
                            .matcher(scrape)
                            .find()) {
                missing.add(metric);
            }
        }
        System.out.println("metrics used by the dashboard and rules: " + used);
        // One sample of each of Ferry's own metrics, for the record of a real run.
        Set<String> printed = new TreeSet<>();
        scrape.lines().filter(line -> line.startsWith("ferry_")).forEach(line -> {
            String name = line.substring(0, line.indexOf('{') > 0 ? line.indexOf('{') : line.indexOf(' '));
            if (printed.add(name)) {
                System.out.println("sample: " + line);
            }
        });
        assertThat(missing).as("metrics used but not exported").isEmpty();
    }

    /** A job with an AWS call, an approval and a rollback, and an alert, so every meter has a sample. */
    private void exercise() {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "observability",
                """
                name: %s
                phases:
                  freeze:
                    steps:
                      - {id: flag, action: aws.ssm.putParameter, with: {name: "/ferry/obs/${job.id}", value: "1", type: String}}
                  cutover:
                    approval: {required: 1}
                    steps:
                      - {id: switch, action: noop}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        Jobs.awaitState(api, id, "AWAITING_APPROVAL");
        api.as("bob").post("/api/v1/jobs/" + id + "/phases/cutover/approve", null);
        Jobs.awaitState(api, id, "SUCCEEDED");
        UUID undone = Jobs.start(api, "alice", plan, Map.of());
        Jobs.awaitState(api, undone, "AWAITING_APPROVAL");
        api.as("alertmanager", "alerter")
                .post(
                        "/api/v1/alerts/generic",
                        Map.of(
                                "jobId",
                                undone.toString(),
                                "reason",
                                "observability test",
                                "fingerprint",
                                "obs-" + undone));
        Jobs.awaitState(api, undone, "ROLLED_BACK");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> api().get("/actuator/prometheus").body().contains("ferry_jobs{"));
    }

    private static Set<String> metrics(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
