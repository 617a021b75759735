package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory and CPU of the service's JVM, read from outside so the measuring costs the service
 * nothing: {@code /proc} for RSS and CPU ticks, {@code jstat} (the JVM's shared perf counters) for
 * the heap, {@code jcmd GC.run} before "live heap".
 */
final class ProcessStats implements AutoCloseable {

    /** Linux's USER_HZ: {@code /proc/<pid>/stat} counts CPU time in 1/100 s. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;
    private final AtomicLong peakHeap = new AtomicLong();
    private Process sampler;

    ProcessStats(long pid) {
        this.pid = pid;
    }

    /** Resident set size now, in bytes. */
    long rss() {
        return statusKb("VmRSS:") * 1024;
    }

    /** The highest resident set size the process ever had, in bytes. */
    long peakRss() {
        return statusKb("VmHWM:") * 1024;
    }

    /** CPU time the process has used so far: in its own code, and in the kernel for it. */
    record CpuTime(double userSeconds, double systemSeconds) {

        double seconds() {
            return userSeconds + systemSeconds;
        }
    }

    /** User plus system CPU time the process has used, in seconds. */
    double cpuSeconds() {
        return cpuTime().seconds();
    }

    /** Both parts of the CPU time, from one read of {@code /proc/<pid>/stat}. */
    CpuTime cpuTime() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new CpuTime(
                    Long.parseLong(fields[11]) / TICKS_PER_SECOND, Long.parseLong(fields[12]) / TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Heap in use now (young and old generations), in bytes. */
    long heapUsed() {
        return heapUsed(run(List.of(tool("jstat"), "-gc", Long.toString(pid))));
    }

    /** Heap in use right after a full collection: what the service really keeps. */
    long liveHeap() {
        run(List.of(tool("jcmd"), Long.toString(pid), "GC.run"));
        return heapUsed();
    }

    /** Starts sampling the heap once a second (one {@code jstat} process, not one per sample). */
    void sampleHeap() {
        try {
            sampler = new ProcessBuilder(tool("jstat"), "-gc", Long.toString(pid), "1000")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(sampler.getInputStream(), StandardCharsets.UTF_8))) {
                        String header = null;
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            if (line.trim().startsWith("S0C")) {
                                header = line;
                            } else if (header != null) {
                                long used = heapUsed(header + "\n" + line);
                                peakHeap.accumulateAndGet(used, Math::max);
                            }
                        }
                    } catch (IOException e) {
                        // the sampler was stopped
                    }
                },
                "heap-sampler");
        reader.setDaemon(true);
        reader.start();
    }

    /** The most heap seen in use since {@link #sampleHeap}, in bytes. */
    long peakHeap() {
        return peakHeap.get();
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.destroy();
        }
    }

    /** S0U + S1U + EU + OU of {@code jstat -gc} output (KiB), in bytes. */
    static long heapUsed(String jstat) {
        String[] lines = jstat.trim().split("\n");
        List<String> names = List.of(lines[0].trim().split("\\s+"));
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double kib = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            kib += Double.parseDouble(values[names.indexOf(column)]);
        }
        return (long) (kib * 1024);
    }

    private long statusKb(String field) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith(field))
                    .map(line ->
                            Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]))
                    .findFirst()
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
