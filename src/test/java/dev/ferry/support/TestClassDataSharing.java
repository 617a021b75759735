package dev.ferry.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The service processes tests start (about thirty per run, most of them in crash and takeover
 * tests) launch from Spring Boot's extracted layout with a class-data-sharing archive, as the
 * container image does: trained once per build (a start that stops once the context is refreshed),
 * then reused while the jar is unchanged. It takes about a third off each start. Anything that
 * fails here only means the packaged jar is launched as before.
 */
final class TestClassDataSharing {

    private static final Path DIRECTORY = Path.of("target", "test-cds").toAbsolutePath();

    /** The extracted jar and its archive; null until looked at, empty when not available. */
    private static Optional<Launch> launch;

    record Launch(Path jar, Path archive) {}

    private TestClassDataSharing() {}

    static synchronized Optional<Launch> forTests(Path packaged, List<String> jvmOptions, List<String> settings) {
        if (launch == null) {
            launch = prepare(packaged, jvmOptions, settings);
        }
        return launch;
    }

    private static Optional<Launch> prepare(Path packaged, List<String> jvmOptions, List<String> settings) {
        Path extracted = DIRECTORY.resolve("extracted");
        Path jar = extracted.resolve(packaged.getFileName());
        Path archive = DIRECTORY.resolve("ferry.jsa");
        try {
            if (Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(packaged)) > 0) {
                return Optional.of(new Launch(jar, archive));
            }
            return FirstUse.install("a class-data-sharing archive for test launches", archive, () -> {
                delete(DIRECTORY);
                Files.createDirectories(DIRECTORY);
                run(List.of(
                        java(),
                        "-Djarmode=tools",
                        "-jar",
                        packaged.toString(),
                        "extract",
                        "--destination",
                        extracted.toString()));
                List<String> training = new ArrayList<>(List.of(java()));
                training.addAll(jvmOptions);
                training.addAll(List.of(
                        "-XX:ArchiveClassesAtExit=" + archive,
                        "-Dspring.context.exit=onRefresh",
                        "-jar",
                        jar.toString()));
                settings.forEach(setting -> training.add("--" + setting));
                run(training);
                return Files.isRegularFile(archive) ? Optional.of(new Launch(jar, archive)) : Optional.<Launch>empty();
            });
        } catch (RuntimeException | IOException e) {
            System.out.println("[first use] no class-data-sharing archive for test launches (" + e.getMessage()
                    + "); the packaged jar is launched");
            return Optional.empty();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Path log = DIRECTORY.resolve("training.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command.subList(0, 3)));
        }
        if (process.exitValue() != 0) {
            throw new IOException("exit " + process.exitValue() + ", see " + log);
        }
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
