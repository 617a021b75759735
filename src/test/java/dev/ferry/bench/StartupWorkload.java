package dev.ferry.bench;

import dev.ferry.support.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue #8's start-up: process start to readiness UP with the service's own embedded PostgreSQL,
 * as {@code README}'s first command runs it. Cold: an empty data directory (initdb and every
 * migration); warm: the same directory again.
 */
final class StartupWorkload {

    private StartupWorkload() {}

    record Result(double coldSeconds, List<Double> warmSeconds, double warmMedianSeconds, List<String> jvmOptions) {}

    static Result run(Path dataDirectory, int warmRuns, List<String> jvmOptions) {
        BenchDatabase.deleteRecursively(dataDirectory);
        ServiceProcess.Spec spec = ServiceProcess.Spec.of(
                        "bench-startup",
                        null,
                        "ferry.database.embedded.data-directory=" + dataDirectory.toAbsolutePath(),
                        "ferry.aws.endpoint=http://127.0.0.1:9")
                .with(BenchClient.tokenSettings().toArray(String[]::new))
                .jvm(jvmOptions.toArray(String[]::new));
        double cold = once(spec);
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < warmRuns; i++) {
            warm.add(once(spec));
        }
        List<Double> sorted = warm.stream().sorted().toList();
        return new Result(cold, warm, sorted.get(sorted.size() / 2), jvmOptions);
    }

    private static double once(ServiceProcess.Spec spec) {
        ServiceProcess service = spec.start();
        double seconds = service.startedIn().toNanos() / 1e9;
        // A graceful stop, so the embedded PostgreSQL shuts down cleanly for the next (warm) start.
        service.terminate();
        service.awaitExit(Duration.ofSeconds(60));
        return seconds;
    }
}
