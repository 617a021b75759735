package dev.ferry.support;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven by playwright-core (from npm) for browser tests. CI starts from a fresh
 * machine, so both are installed when missing: Chromium by {@code src/test/scripts/ensure-chromium.sh}
 * (apt-get), playwright-core into {@code target/console-e2e} (kept there between runs). Playwright
 * never downloads a browser of its own. A machine where this cannot be done fails the test with the
 * reason, unless {@code FERRY_SKIP_BROWSER_TESTS=1} says to skip browser tests.
 */
public final class HeadlessBrowser {

    // PINNED: the version the console test was written and verified against.
    public static final String PLAYWRIGHT_CORE = "1.65.1";
    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("FERRY_CHROMIUM", "/usr/bin/chromium"));
    public static final Path PLAYWRIGHT_DIR = Path.of("target", "console-e2e").toAbsolutePath();

    private HeadlessBrowser() {}

    /** Makes sure Chromium and playwright-core are there; skips only when told to. */
    public static synchronized void ensureInstalled() {
        Assumptions.assumeFalse(
                "1".equals(System.getenv("FERRY_SKIP_BROWSER_TESTS")),
                "FERRY_SKIP_BROWSER_TESTS=1: browser tests skipped");
        if (!Files.isExecutable(CHROMIUM)) {
            Result installed = FirstUse.install(
                    "Debian's chromium (apt-get)",
                    CHROMIUM,
                    () -> run(List.of("bash", "src/test/scripts/ensure-chromium.sh"), Map.of(), 600));
            if (installed.exitCode() != 0 || !Files.isExecutable(CHROMIUM)) {
                fail("Chromium (" + CHROMIUM + ") is missing and could not be installed; run "
                        + "src/test/scripts/ensure-chromium.sh as root, or set FERRY_SKIP_BROWSER_TESTS=1:\n"
                        + installed.output());
            }
        }
        Path marker = PLAYWRIGHT_DIR.resolve("node_modules/playwright-core/package.json");
        if (!readable(marker).contains("\"version\": \"" + PLAYWRIGHT_CORE + "\"")) {
            Result npm = FirstUse.install(
                    "playwright-core@" + PLAYWRIGHT_CORE + " (npm)",
                    PLAYWRIGHT_DIR,
                    () -> run(
                            List.of(
                                    "npm",
                                    "install",
                                    "--prefix",
                                    PLAYWRIGHT_DIR.toString(),
                                    "--no-audit",
                                    "--no-fund",
                                    "--loglevel=error",
                                    "playwright-core@" + PLAYWRIGHT_CORE),
                            Map.of(),
                            300));
            if (npm.exitCode() != 0) {
                fail("npm install playwright-core@" + PLAYWRIGHT_CORE + " failed (needs Node.js and the npm "
                        + "registry; FERRY_SKIP_BROWSER_TESTS=1 skips browser tests):\n" + npm.output());
            }
        }
    }

    /** Runs {@code node script} with this environment (plus where Chromium and playwright-core are). */
    public static Result node(Path script, Map<String, String> environment, long timeoutSeconds) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("FERRY_CHROMIUM", CHROMIUM.toString());
        env.put("FERRY_PLAYWRIGHT", PLAYWRIGHT_DIR.toString());
        return run(List.of("node", script.toString()), env, timeoutSeconds);
    }

    /** Exit code and combined output of a finished process (-1 when it timed out and was stopped). */
    public record Result(int exitCode, String output) {}

    private static Result run(List<String> command, Map<String, String> environment, long timeoutSeconds) {
        try {
            Path log = Files.createTempFile("ferry-browser", ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(
                    finished ? process.exitValue() : -1,
                    finished ? output : output + "\n(stopped after " + timeoutSeconds + " s)");
        } catch (IOException e) {
            return new Result(-2, command.get(0) + " could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readable(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
