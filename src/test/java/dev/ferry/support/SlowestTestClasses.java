package dev.ferry.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the ten slowest test classes at the end of each test run (Surefire's and Failsafe's), and
 * writes them to {@code target/test-times/}, so a suite that grows slower shows where at once. A
 * class's time includes what it started first (a Spring context, a service process) and shares later.
 */
public final class SlowestTestClasses implements TestExecutionListener {

    private static final int SHOWN = 10;

    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, Duration> took = new ConcurrentHashMap<>();

    @Override
    public void executionStarted(TestIdentifier test) {
        className(test).ifPresent(name -> started.put(name, System.nanoTime()));
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        className(test).ifPresent(name -> {
            Long began = started.remove(name);
            if (began != null) {
                took.merge(name, Duration.ofNanos(System.nanoTime() - began), Duration::plus);
            }
        });
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (took.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Duration>> slowest = new ArrayList<>(took.entrySet());
        slowest.sort(Map.Entry.<String, Duration>comparingByValue(Comparator.reverseOrder()));
        Duration total = took.values().stream().reduce(Duration.ZERO, Duration::plus);
        boolean integration = took.keySet().stream().anyMatch(name -> name.endsWith("IT"));
        StringBuilder report = new StringBuilder(String.format(
                "Slowest %s test classes (%d classes, %.0f s in all):%n",
                integration ? "integration" : "unit", took.size(), total.toMillis() / 1000.0));
        slowest.stream()
                .limit(SHOWN)
                .forEach(entry -> report.append(
                        String.format("  %7.1f s  %s%n", entry.getValue().toMillis() / 1000.0, entry.getKey())));
        System.out.print(report);
        write(integration ? "integration.txt" : "unit.txt", report.toString());
    }

    private static Optional<String> className(TestIdentifier test) {
        return test.getSource().filter(ClassSource.class::isInstance).map(source -> ((ClassSource) source)
                .getClassName());
    }

    private static void write(String file, String report) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-times"));
            Files.writeString(dir.resolve(file), report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
