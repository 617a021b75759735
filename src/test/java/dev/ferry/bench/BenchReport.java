package dev.ferry.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects one benchmark run's results and writes them as JSON and as the README's Markdown. */
final class BenchReport {

    private static final double MIB = 1024.0 * 1024.0;

    private final ObjectNode root = PerformanceBench.json().createObjectNode();
    private final List<Goal> goals = new ArrayList<>();
    private final StringBuilder sections = new StringBuilder();

    record Goal(String goal, String target, String measured, boolean met) {}

    BenchReport(Instant at) {
        root.put("date", at.toString());
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put(
                "memoryBytes",
                ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize());
        machine.put("cpu", cpuModel());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    void database(Map<String, String> settings) {
        root.set("database", PerformanceBench.tree(settings));
    }

    void startup(StartupWorkload.Result startup) {
        root.set("startup", PerformanceBench.tree(startup));
        StartupWorkload.Runs plain = startup.plain();
        StartupWorkload.Runs cds = startup.classDataSharing();
        goal(
                "Start-up, warm (embedded PostgreSQL, class data sharing)",
                "≤ 6 s",
                seconds(cds.warmMedianSeconds()) + " (median of "
                        + cds.warmSeconds().size() + "; `java -jar` " + seconds(plain.warmMedianSeconds()) + ")",
                cds.warmMedianSeconds() <= 6.0);
        goal(
                "Start-up, cold (embedded PostgreSQL, class data sharing)",
                "≤ 8 s",
                seconds(cds.coldSeconds()) + " (`java -jar` " + seconds(plain.coldSeconds()) + ")",
                cds.coldSeconds() <= 8.0);
        sections.append("### Start-up (process start → readiness UP, embedded PostgreSQL)\n\n")
                .append("| launch | cold (empty data directory) | warm runs | warm median |\n|---|---|---|---|\n");
        List<Map.Entry<String, StartupWorkload.Runs>> rows = new ArrayList<>();
        if (startup.before() != null) {
            rows.add(Map.entry("`java -jar`, baseline jar", startup.before()));
        }
        rows.add(Map.entry("`java -jar`", plain));
        rows.add(Map.entry("class data sharing", cds));
        for (var row : rows) {
            StartupWorkload.Runs runs = row.getValue();
            sections.append("| ")
                    .append(row.getKey())
                    .append(" | ")
                    .append(seconds(runs.coldSeconds()))
                    .append(" | ")
                    .append(String.join(
                            ", ",
                            runs.warmSeconds().stream()
                                    .map(BenchReport::seconds)
                                    .toList()))
                    .append(" | ")
                    .append(seconds(runs.warmMedianSeconds()))
                    .append(" |\n");
        }
        sections.append("\nThe class data sharing archive's training run took ")
                .append(seconds(startup.trainingSeconds()))
                .append(".\n\n");
    }

    void engine(RawCommits.Result before, RawCommits.Result after, List<EngineWorkload.Result> runs) {
        double raw = (before.commitsPerSecond() + after.commitsPerSecond()) / 2;
        ObjectNode engine = root.putObject("engine");
        ObjectNode rawNode = engine.putObject("rawCommits");
        rawNode.set("before", PerformanceBench.tree(before));
        rawNode.set("after", PerformanceBench.tree(after));
        rawNode.put("meanCommitsPerSecond", raw);
        ArrayNode runNodes = engine.putArray("runs");
        sections.append("### Engine (`bench-7x2`, ")
                .append(runs.get(0).workers())
                .append(" workers)\n\n")
                .append("Raw limit on the same database (8 threads, UPDATE + INSERT per commit, ")
                .append(Math.round(before.seconds()))
                .append(" s, before and after the engine runs): ")
                .append(rate(before.commitsPerSecond()))
                .append(" and ")
                .append(rate(after.commitsPerSecond()))
                .append(" commits/s, mean ")
                .append(rate(raw))
                .append(".\n\n")
                .append(
                        "| jobs | wall | jobs/s | transitions/s | ÷ raw commits/s | approval → first step p50 / p95 / p99 "
                                + "| (client: approve sent → step seen p99) | commits (of them writing) / statements per transition "
                                + "| CPU per transition: service / PostgreSQL | peak RSS | peak heap | database growth |\n"
                                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (EngineWorkload.Result run : runs) {
            double ratio = run.transitionsPerSecond() / raw;
            ObjectNode node = PerformanceBench.tree(run);
            node.put("transitionsPerSecondToRawCommitRatio", ratio);
            runNodes.add(node);
            sections.append("| ")
                    .append(run.jobs())
                    .append(" | ")
                    .append(seconds(run.wallSeconds()))
                    .append(" | ")
                    .append(rate(run.jobsPerSecond()))
                    .append(" | ")
                    .append(rate(run.transitionsPerSecond()))
                    .append(" | ")
                    .append(fixed(ratio, 2))
                    .append(" | ")
                    .append(millis(run.approvalToFirstStep().p50()))
                    .append(" / ")
                    .append(millis(run.approvalToFirstStep().p95()))
                    .append(" / ")
                    .append(millis(run.approvalToFirstStep().p99()))
                    .append(" | ")
                    .append(millis(run.approvalRequestToStepSeen().p99()))
                    .append(" | ")
                    .append(fixed(run.commitsPerTransition(), 2))
                    .append(" (")
                    .append(fixed(run.writingTransactionsPerTransition(), 2))
                    .append(") / ")
                    .append(fixed(run.statementsPerTransition(), 1))
                    .append(" | ")
                    .append(fixed(run.serviceCpuMillisPerTransition(), 2))
                    .append(" ms / ")
                    .append(fixed(run.databaseCpuMillisPerTransition(), 2))
                    .append(" ms | ")
                    .append(mib(run.peakRssBytes()))
                    .append(" | ")
                    .append(mib(run.peakHeapBytes()))
                    .append(" | ")
                    .append(mib(run.databaseGrowthBytes()))
                    .append(" (")
                    .append(Math.round(run.databaseGrowthBytes() / 1024.0 / run.jobs()))
                    .append(" KiB/job) |\n");
        }
        sections.append('\n');
        for (EngineWorkload.Result run : runs) {
            Map<String, Object> parts = run.approvalParts();
            sections.append("Approval latency at N = ")
                    .append(run.jobs())
                    .append(", split by the commit time of the "
                            + "approval (`track_commit_timestamp`): the approval's own transaction p50 ")
                    .append(millis(number(parts.get("tx_p50"))))
                    .append(", p99 ")
                    .append(millis(number(parts.get("tx_p99"))))
                    .append("; its commit → the step started p50 ")
                    .append(millis(number(parts.get("start_p50"))))
                    .append(", p99 ")
                    .append(millis(number(parts.get("start_p99"))))
                    .append(".\n\n");
        }
        EngineWorkload.Result first = runs.get(0);
        double ratio = first.transitionsPerSecond() / raw;
        engine.put("transitionsPerSecondToRawCommitRatio", ratio);
        goal(
                "Engine transitions/s ÷ raw commits/s (N = " + first.jobs() + ")",
                "≥ 0.35",
                fixed(ratio, 2) + " (" + rate(first.transitionsPerSecond()) + " ÷ " + rate(raw) + ")",
                ratio >= 0.35);
        goal(
                "Approval → first step started, p99 (N = " + first.jobs() + ")",
                "≤ 50 ms",
                millis(first.approvalToFirstStep().p99()),
                first.approvalToFirstStep().p99() <= 50);
    }

    void polling(PollingWorkload.Result polling) {
        root.set("polling", PerformanceBench.tree(polling));
        goal(
                "`GET /jobs/{id}` ÷ baseline requests/s",
                "≥ 0.5",
                fixed(polling.viewToBaseline(), 2),
                polling.viewToBaseline() >= 0.5);
        goal(
                "`304` revalidation ÷ baseline requests/s",
                "≥ 0.8",
                fixed(polling.notModifiedToBaseline(), 2),
                polling.notModifiedToBaseline() >= 0.8);
        goal(
                "Wall board `304` (`GET /jobs?view=summary`) ÷ baseline requests/s",
                "≥ 0.8",
                fixed(polling.summaryNotModifiedToBaseline(), 2),
                polling.summaryNotModifiedToBaseline() >= 0.8);
        goal(
                "View of a finished `bench-7x2` job; of the README's first job (after CUTOVER's two approvals, finished)",
                "a few KB (≤ 8 KB here)",
                polling.viewBytes().bench7x2Bytes() + " B; "
                        + polling.viewBytes().firstJobAfterTwoApprovalsBytes() + " B, "
                        + polling.viewBytes().firstJobFinishedBytes() + " B",
                polling.viewBytes().bench7x2Bytes() <= 8192
                        && polling.viewBytes().firstJobFinishedBytes() <= 8192);
        sections.append("### Polling (")
                .append(polling.clients())
                .append(" clients, random ids among ")
                .append(polling.jobs())
                .append(" stored jobs)\n\n")
                .append("| request | requests/s | p50 | p99 | SQL statements per request | unexpected answers "
                        + "| ÷ baseline | CPU per request: service (of it kernel) / PostgreSQL / driver | machine busy |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
        PollingWorkload.Round judged = new PollingWorkload.Round(
                polling.view(), polling.notModified(), polling.summaryNotModified(), polling.baseline());
        for (PollingWorkload.Round round : List.of(judged, polling.firstRound())) {
            for (PollingWorkload.Pass pass : round.passes()) {
                pollingRow(pass, round.baseline(), round == judged ? "" : " — round 1, just started");
            }
        }
        sections.append('\n');
    }

    private void pollingRow(PollingWorkload.Pass pass, PollingWorkload.Pass baseline, String label) {
        sections.append("| ")
                .append(pass.name())
                .append(label)
                .append(" | ")
                .append(rate(pass.requestsPerSecond()))
                .append(" | ")
                .append(millis(pass.latency().p50()))
                .append(" | ")
                .append(millis(pass.latency().p99()))
                .append(" | ")
                .append(fixed(pass.statementsPerRequest(), 1))
                .append(" | ")
                .append(pass.unexpected())
                .append(" | ")
                .append(fixed(pass.requestsPerSecond() / baseline.requestsPerSecond(), 2))
                .append(" | ")
                .append(fixed(pass.cpu().serviceMillis(), 3))
                .append(" (")
                .append(fixed(pass.cpu().serviceKernelMillis(), 3))
                .append(") / ")
                .append(fixed(pass.cpu().databaseMillis(), 3))
                .append(" / ")
                .append(fixed(pass.cpu().driverMillis(), 3))
                .append(" ms | ")
                .append(Math.round(100 * pass.cpu().machineBusy()))
                .append(" % |\n");
    }

    void idle(IdleWorkload.Result idle) {
        root.set("idle", PerformanceBench.tree(idle));
        goal(
                "Live heap with " + idle.waitingJobs() + " waiting jobs",
                "≤ 256 MiB",
                mib(idle.liveHeapBytes()),
                idle.liveHeapBytes() <= 256 * MIB);
        goal(
                "Idle CPU with " + idle.waitingJobs() + " waiting jobs",
                "≤ 1 % of one core",
                fixed(idle.cpuPercentOfOneCore(), 2) + " %",
                idle.cpuPercentOfOneCore() <= 1.0);
        boolean flat = idle.claimAfter().sharedBuffers()
                <= Math.max(10, 2 * idle.claimBefore().sharedBuffers());
        goal(
                "Claim query uses an index, cost flat in waiting jobs",
                "index scan; buffers not growing",
                String.join(
                                ", ",
                                idle.claimAfter().nodes().stream()
                                        .filter(n -> n.contains("Index"))
                                        .toList())
                        + "; " + idle.claimBefore().sharedBuffers() + " → "
                        + idle.claimAfter().sharedBuffers()
                        + " buffers",
                idle.claimAfter().usesIndex() && flat);
        sections.append("### Idle (")
                .append(idle.waitingJobs())
                .append(" jobs waiting: half for an approval, a quarter on a `notBefore` timer, a quarter in a "
                        + "one-day `wait` step, polled hourly)\n\n")
                .append("| live heap after GC | RSS | CPU over ")
                .append(Math.round(idle.idleSeconds()))
                .append(" s | statements/s | commits |\n|---|---|---|---|---|\n| ")
                .append(mib(idle.liveHeapBytes()))
                .append(" | ")
                .append(mib(idle.rssBytes()))
                .append(" | ")
                .append(fixed(idle.cpuSeconds(), 2))
                .append(" s (")
                .append(fixed(idle.cpuPercentOfOneCore(), 2))
                .append(" % of one core) | ")
                .append(fixed(idle.statementsPerSecond(), 2))
                .append(" | ")
                .append(idle.commits())
                .append(" |\n\n")
                .append("Claim query: ")
                .append(fixed(idle.claimBefore().executionMillis(), 3))
                .append(" ms, ")
                .append(idle.claimBefore().sharedBuffers())
                .append(" buffers with no job waiting; ")
                .append(fixed(idle.claimAfter().executionMillis(), 3))
                .append(" ms, ")
                .append(idle.claimAfter().sharedBuffers())
                .append(" buffers with ")
                .append(idle.waitingJobs())
                .append(" waiting. Plan: ")
                .append(String.join(" → ", idle.claimAfter().nodes()))
                .append(".\n\n")
                .append("Statements while idle:\n\n| calls | statement |\n|---|---|\n");
        idle.topStatements().forEach(row -> sections.append("| ")
                .append(row.get("calls"))
                .append(" | `")
                .append(String.valueOf(row.get("query")).replace("|", "\\|"))
                .append("` |\n"));
        sections.append('\n');
    }

    void write(Path directory) throws IOException {
        ArrayNode goalNodes = root.putArray("goals");
        goals.forEach(goal -> goalNodes.add(PerformanceBench.tree(goal)));
        Files.writeString(
                directory.resolve("results.json"), PerformanceBench.json().writeValueAsString(root));
        StringBuilder md = new StringBuilder();
        ObjectNode machine = (ObjectNode) root.get("machine");
        md.append("Measured ")
                .append(root.get("date").asText(), 0, 10)
                .append(" on ")
                .append(machine.get("cores").asInt())
                .append(" cores (")
                .append(machine.get("cpu").asText())
                .append("), ")
                .append(Math.round(machine.get("memoryBytes").asDouble() / MIB / 1024))
                .append(" GiB, ")
                .append(machine.get("java").asText())
                .append("; PostgreSQL ")
                .append(root.path("database").path("server_version").asText())
                .append(" with fsync=")
                .append(root.path("database").path("fsync").asText())
                .append(", synchronous_commit=")
                .append(root.path("database").path("synchronous_commit").asText())
                .append(", full_page_writes=")
                .append(root.path("database").path("full_page_writes").asText())
                .append(" (wal_sync_method ")
                .append(root.path("database").path("wal_sync_method").asText())
                .append(").\n\n")
                .append("| goal | target | measured | |\n|---|---|---|---|\n");
        goals.forEach(goal -> md.append("| ")
                .append(goal.goal())
                .append(" | ")
                .append(goal.target())
                .append(" | ")
                .append(goal.measured())
                .append(" | ")
                .append(goal.met() ? "met" : "**missed**")
                .append(" |\n"));
        md.append('\n').append(sections);
        Files.writeString(directory.resolve("results.md"), md.toString());
    }

    private void goal(String goal, String target, String measured, boolean met) {
        goals.add(new Goal(goal, target, measured, met));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double number(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    private static String seconds(double value) {
        return fixed(value, 1) + " s";
    }

    private static String millis(double value) {
        return fixed(value, 1) + " ms";
    }

    private static String mib(double bytes) {
        return Math.round(bytes / MIB) + " MiB";
    }

    private static String rate(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String fixed(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }
}
