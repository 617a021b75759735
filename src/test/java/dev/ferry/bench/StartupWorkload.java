package dev.ferry.bench;

import dev.ferry.support.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issues #8 and #16's start-up: process start to readiness UP with the service's own embedded
 * PostgreSQL, as {@code README}'s first command runs it. Cold: an empty data directory (initdb and
 * every migration); warm: the same directory again. Twice: {@code java -jar} of the built jar, then
 * with class data sharing as Spring Boot documents it (the jar extracted, one training run that
 * stops once the context is refreshed and writes the archive, then {@code -XX:SharedArchiveFile}).
 */
final class StartupWorkload {

    private StartupWorkload() {}

    record Runs(double coldSeconds, List<Double> warmSeconds, double warmMedianSeconds) {}

    /** {@code before}: the runs of an earlier build's jar ({@code -Dbench.baselineJar}) in the same run, or null. */
    record Result(Runs plain, Runs classDataSharing, double trainingSeconds, List<String> jvmOptions, Runs before) {}

    static Result run(Path directory, int warmRuns, List<String> jvmOptions, Path baselineJar) {
        Path data = directory.resolve("pgdata");
        Runs before = baselineJar == null ? null : runs(spec(data, jvmOptions).jar(baselineJar), data, warmRuns);
        Runs plain = runs(spec(data, jvmOptions), data, warmRuns);

        Path extracted = directory.resolve("extracted");
        BenchDatabase.deleteRecursively(extracted);
        Path jar = ServiceProcess.jar();
        exec(List.of(
                java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", extracted.toString()));
        Path launched = extracted.resolve(jar.getFileName());
        Path archive = extracted.resolve("application.jsa");
        Path trainingData = directory.resolve("training-pgdata");
        BenchDatabase.deleteRecursively(trainingData);
        List<String> training = new ArrayList<>(List.of(java()));
        training.addAll(jvmOptions);
        training.addAll(List.of(
                "-XX:ArchiveClassesAtExit=" + archive,
                "-Dspring.context.exit=onRefresh",
                "-jar",
                launched.toString(),
                "--server.port=0",
                "--ferry.database.embedded.data-directory=" + trainingData.toAbsolutePath(),
                "--ferry.aws.endpoint=http://127.0.0.1:9"));
        long begin = System.nanoTime();
        exec(training);
        double trainingSeconds = (System.nanoTime() - begin) / 1e9;
        stopLeftoverPostgres(trainingData);

        List<String> shared = new ArrayList<>(jvmOptions);
        shared.add("-XX:SharedArchiveFile=" + archive);
        Runs cds = runs(spec(data, shared).jar(launched), data, warmRuns);
        return new Result(plain, cds, trainingSeconds, jvmOptions, before);
    }

    private static ServiceProcess.Spec spec(Path data, List<String> jvmOptions) {
        return ServiceProcess.Spec.of(
                        "bench-startup",
                        null,
                        "ferry.database.embedded.data-directory=" + data.toAbsolutePath(),
                        "ferry.aws.endpoint=http://127.0.0.1:9")
                .with(BenchClient.tokenSettings().toArray(String[]::new))
                .jvm(jvmOptions.toArray(String[]::new));
    }

    private static Runs runs(ServiceProcess.Spec spec, Path data, int warmRuns) {
        BenchDatabase.deleteRecursively(data);
        double cold = once(spec);
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < warmRuns; i++) {
            warm.add(once(spec));
        }
        List<Double> sorted = warm.stream().sorted().toList();
        return new Runs(cold, warm, sorted.get(sorted.size() / 2));
    }

    private static double once(ServiceProcess.Spec spec) {
        ServiceProcess service = spec.start();
        double seconds = service.startedIn().toNanos() / 1e9;
        // A graceful stop, so the embedded PostgreSQL shuts down cleanly for the next (warm) start.
        service.terminate();
        service.awaitExit(Duration.ofSeconds(60));
        return seconds;
    }

    /** The training run exits without closing the context, so its embedded PostgreSQL may outlive it. */
    private static void stopLeftoverPostgres(Path data) {
        try (var files = Files.walk(data)) {
            for (Path pid : files.filter(f -> f.getFileName().toString().equals("postmaster.pid"))
                    .toList()) {
                long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).trim());
                // SIGINT: PostgreSQL's fast shutdown.
                exec(List.of("kill", "-INT", Long.toString(postmaster)));
                ProcessHandle.of(postmaster)
                        .ifPresent(
                                p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void exec(List<String> command) {
        try {
            Path log = Files.createTempFile("ferry-startup", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("failed: " + String.join(" ", command) + "\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
