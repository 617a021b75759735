package dev.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.Api;
import dev.ferry.support.Operator;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ten thousand malformed and hostile requests ({@link HostileRequests}, seeded; {@code
 * -Dferry.hostile.seed=N} replays a run) against the real service: no {@code 5xx}, every error a
 * problem document without a stack trace, and not one row stored or changed.
 */
class HostileInputIT {

    private static final int REQUESTS = 10_000;
    private static final List<String> TABLES = List.of(
            "plan",
            "migration_job",
            "phase_execution",
            "step_execution",
            "job_event",
            "approval",
            "idempotency_key",
            "alert_receipt",
            "resource_lock");
    private static final List<String> LEAKS = List.of(
            "at dev.ferry",
            "at java.",
            "at org.",
            "Exception:",
            "java.",
            "org.springframework",
            "org.hibernate",
            "PSQLException",
            "SQLState");

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: target, type: string, required: true}
              - {name: count, type: integer, default: 1}
            phases:
              prepare:
                steps:
                  - {id: first, action: noop}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
            """;

    @Test
    void tenThousandHostileRequestsChangeNothingAndNeverFailInside() {
        long seed = Long.getLong("ferry.hostile.seed", System.nanoTime());
        System.out.println("[hostile] seed " + seed);
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        JdbcTemplate jdbc = database.jdbc();
        try (ServiceProcess service = ServiceProcess.Spec.of("hostile", database, "ferry.worker.enabled=false")
                .start()) {
            String plan = Operator.registerPlan(service, "hostile", PLAN);
            UUID job = Operator.startJob(service, plan, Map.of("target", "a"));
            assertThat(Operator.as(service)
                            .post("/api/v1/jobs/" + job + "/cancel", null)
                            .status())
                    .isEqualTo(200);
            Map<String, Long> before = rows(jdbc);
            HostileRequests generator = new HostileRequests(new Random(seed), plan, job);
            Api api = Operator.as(service);
            Map<Integer, Integer> statuses = new TreeMap<>();
            Map<String, Integer> families = new TreeMap<>();
            Map<String, List<String>> failures = new TreeMap<>();
            Instant begin = Instant.now();
            for (int i = 0; i < REQUESTS; i++) {
                HostileRequests.Hostile hostile = generator.next();
                Api.Response response;
                try {
                    response = api.send(request(api, hostile));
                } catch (UncheckedIOException e) {
                    response = new Api.Response(0, Map.of(), "connection failed: " + e.getMessage());
                }
                statuses.merge(response.status(), 1, Integer::sum);
                families.merge(hostile.family() + "/" + hostile.defect(), 1, Integer::sum);
                String problem = judge(hostile, response);
                if (problem != null) {
                    List<String> examples = failures.computeIfAbsent(
                            problem + " (" + hostile.family() + "/" + hostile.defect() + ")", k -> new ArrayList<>());
                    if (examples.size() < 2) {
                        examples.add(hostile.method() + " " + hostile.path() + " [" + hostile.contentType() + "] "
                                + abbreviate(
                                        hostile.body() == null
                                                ? ""
                                                : new String(hostile.body(), StandardCharsets.UTF_8))
                                + " -> " + abbreviate(response.body()));
                    }
                }
            }
            Duration took = Duration.between(begin, Instant.now());
            System.out.printf(
                    "[hostile] %d requests in %d s; status codes %s%n[hostile] families/defects %s%n",
                    REQUESTS, took.toSeconds(), statuses, families);
            failures.forEach((kind, examples) -> System.out.println("[hostile] FAILED " + kind + ": " + examples));
            assertThat(failures.keySet())
                    .as("responses that failed inside, stored something or leaked internals")
                    .isEmpty();
            assertThat(rows(jdbc)).as("row counts").isEqualTo(before);
            assertThat(Operator.as(service)
                            .get("/api/v1/jobs/" + job)
                            .json()
                            .get("state")
                            .asText())
                    .isEqualTo("CANCELLED");
        }
    }

    private static HttpRequest.Builder request(Api api, HostileRequests.Hostile hostile) {
        HttpRequest.Builder request = api.request(hostile.path());
        if (hostile.path().startsWith("/api/v1/alerts/")) {
            request.setHeader("Authorization", "Bearer " + HostileRequests.ALERT_TOKEN.get());
        }
        if (hostile.body() == null) {
            return request.method(hostile.method(), HttpRequest.BodyPublishers.noBody());
        }
        if (!hostile.contentType().isEmpty()) {
            request.header("Content-Type", hostile.contentType());
        }
        return request.method(hostile.method(), HttpRequest.BodyPublishers.ofByteArray(hostile.body()));
    }

    /** Null when the answer is acceptable: not a 5xx, nothing created, any error a clean problem document. */
    private static String judge(HostileRequests.Hostile hostile, Api.Response response) {
        if (response.status() >= 500 || response.status() == 0) {
            return "status " + response.status();
        }
        if (response.status() < 300
                && hostile.method().equals("POST")
                && !hostile.path().endsWith("/preview")) {
            return "accepted " + response.status();
        }
        if (response.status() >= 400) {
            String type = String.valueOf(response.header("Content-Type"));
            if (!type.startsWith("application/problem+json")) {
                return "content type " + type + " on " + response.status();
            }
        }
        String sent =
                hostile.path() + (hostile.body() == null ? "" : new String(hostile.body(), StandardCharsets.UTF_8));
        for (String leak : LEAKS) {
            // Echoing the caller's own input back is not a leak.
            if (response.body().contains(leak) && !sent.contains(leak)) {
                return "leaks '" + leak + "'";
            }
        }
        return null;
    }

    private static Map<String, Long> rows(JdbcTemplate jdbc) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class));
        }
        counts.put(
                "job versions", jdbc.queryForObject("SELECT coalesce(sum(version), 0) FROM migration_job", Long.class));
        return counts;
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
