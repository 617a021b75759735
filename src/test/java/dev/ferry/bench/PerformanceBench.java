package dev.ferry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #8's benchmarks, run by {@code ./mvnw -Pbench verify} (not part of the test suite). One
 * run: start-up, the raw commit limit, the engine workload at each N, the raw limit again, polling,
 * idle scale, all against one durable PostgreSQL and one service process. Prints a table and writes
 * {@code target/bench/results.json} and {@code results.md}. It fails only when something went
 * wrong (a job failed, durability off), never because a goal was missed: that is what it reports.
 *
 * <p>Settings ({@code -Dbench.x=...}): {@code jobs} (200,1000), {@code workers} (8),
 * {@code rawSeconds} (20), {@code waitingJobs} (10000), {@code pollClients} (64),
 * {@code pollSeconds} (30), {@code idleSeconds} (60), {@code warmStarts} (3), {@code warmUpJobs}
 * (200, engine jobs run before the measured ones and not reported); for working on one
 * of them, {@code workloads} (startup,engine,polling,idle) and {@code jfr} (true: the service
 * records a flight recording into {@code target/bench/service.jfr}); {@code baselineJar} (a jar
 * built from an earlier commit, whose start-up is measured in the same run for comparison).
 */
class PerformanceBench {

    /** The JVM the service runs in here: the image's collector, a fixed heap ceiling for comparable runs. */
    private static final List<String> SERVICE_JVM = List.of("-XX:+UseG1GC", "-Xmx1g", "-Xss512k");

    private static final Path OUT = Path.of("target", "bench");

    @Test
    void measure() throws Exception {
        List<Integer> jobCounts = Arrays.stream(setting("jobs", "200,1000").split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        int workers = Integer.parseInt(setting("workers", "8"));
        Duration raw = Duration.ofSeconds(Long.parseLong(setting("rawSeconds", "20")));
        int waiting = Integer.parseInt(setting("waitingJobs", "10000"));
        int clients = Integer.parseInt(setting("pollClients", "64"));
        Duration poll = Duration.ofSeconds(Long.parseLong(setting("pollSeconds", "30")));
        Duration idle = Duration.ofSeconds(Long.parseLong(setting("idleSeconds", "60")));
        int warmStarts = Integer.parseInt(setting("warmStarts", "3"));
        int warmUpJobs = Integer.parseInt(setting("warmUpJobs", "200"));
        List<String> workloads =
                List.of(setting("workloads", "startup,engine,polling,idle").split(","));
        List<String> serviceJvm = new ArrayList<>(SERVICE_JVM);
        if (Boolean.parseBoolean(setting("jfr", "false"))) {
            // For finding where the time goes: jfr print --events jdk.ExecutionSample target/bench/service.jfr
            // Deep stacks (security's filter chain): the default depth of 64 frames loses the callers.
            serviceJvm.add("-XX:FlightRecorderOptions=stackdepth=256");
            serviceJvm.add("-XX:StartFlightRecording=filename="
                    + OUT.toAbsolutePath().resolve("service.jfr") + ",settings=profile");
        }
        Files.createDirectories(OUT);

        BenchReport report = new BenchReport(Instant.now());
        if (workloads.contains("startup")) {
            String baseline = setting("baselineJar", "");
            report.startup(StartupWorkload.run(
                    OUT.resolve("startup-data"),
                    warmStarts,
                    SERVICE_JVM,
                    baseline.isEmpty() ? null : Path.of(baseline).toAbsolutePath()));
        }
        try (BenchDatabase database = BenchDatabase.start(OUT.resolve("pgdata"))) {
            report.database(database.settings());
            database.requireDurable();
            RawCommits.Result rawBefore = RawCommits.run(database, 8, raw);
            ServiceProcess.Spec spec = ServiceProcess.Spec.of(
                            "bench",
                            database.coordinates(),
                            "ferry.worker.concurrency=" + workers,
                            "ferry.worker.fallback-poll=PT10S",
                            "ferry.aws.endpoint=http://127.0.0.1:9")
                    .with(BenchClient.tokenSettings().toArray(String[]::new))
                    .jvm(serviceJvm.toArray(String[]::new));
            try (ServiceProcess service = spec.start();
                    ProcessStats stats = new ProcessStats(service.pid())) {
                stats.sampleHeap();
                BenchClient client = new BenchClient(service.baseUri());
                for (String plan : List.of(
                        "bench-7x2.yaml",
                        "bench-waiting-approval.yaml",
                        "bench-waiting-timer.yaml",
                        "bench-waiting-step.yaml")) {
                    client.registerPlan(plan);
                }
                if (workloads.contains("engine")) {
                    // Not measured: the JIT compiles the hot paths, pools fill, caches warm (a
                    // first run pays about 50 % more CPU per transition than later ones).
                    if (warmUpJobs > 0) {
                        EngineWorkload.run(client, database, stats, warmUpJobs, workers, Duration.ofMinutes(20));
                    }
                    List<EngineWorkload.Result> runs = new ArrayList<>();
                    for (int jobs : jobCounts) {
                        runs.add(EngineWorkload.run(client, database, stats, jobs, workers, Duration.ofMinutes(20)));
                    }
                    RawCommits.Result rawAfter = RawCommits.run(database, 8, raw);
                    report.engine(rawBefore, rawAfter, runs);
                }

                IdleWorkload.ClaimPlan claimBefore = IdleWorkload.claimPlan(database, 0);
                List<String> ids =
                        new ArrayList<>(IdleWorkload.populate(client, database, IdleWorkload.Mix.of(waiting)));
                ids.addAll(database.jdbc()
                        .queryForList("SELECT id::text FROM migration_job WHERE state = 'SUCCEEDED'", String.class));
                if (workloads.contains("polling")) {
                    ViewSizes.Result sizes = ViewSizes.measure(client, service.baseUri() + "/actuator/health");
                    report.polling(PollingWorkload.run(
                            client, database, stats, ids, clients, poll, Duration.ofSeconds(5), sizes));
                }
                if (workloads.contains("idle")) {
                    report.idle(
                            IdleWorkload.measure(database, stats, waiting, Duration.ofSeconds(15), idle, claimBefore));
                }
                // Gracefully, so a flight recording is written out.
                service.terminate();
                service.awaitExit(Duration.ofSeconds(60));
            }
        }
        report.write(OUT);
        System.out.println(Files.readString(OUT.resolve("results.md")));
    }

    private static String setting(String name, String fallback) {
        return System.getProperty("bench." + name, fallback);
    }

    static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules();
    }

    static ObjectNode tree(Object value) {
        JsonNode node = json().valueToTree(value);
        return (ObjectNode) node;
    }
}
