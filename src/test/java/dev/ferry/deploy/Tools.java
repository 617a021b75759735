package dev.ferry.deploy;

import dev.ferry.support.FirstUse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Command-line tools the deployment tests need, found or installed the way CI can repeat. */
public final class Tools {

    /**
     * Where a Helm built here is kept: outside {@code target/} so that {@code clean} and a fresh
     * clone on the same machine reuse it, and per version so that a version change rebuilds it.
     */
    private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "ferry", "tools");

    /** The Helm the chart tests use (when none is installed: a newer one may render differently). */
    static final String HELM_VERSION = "v3.22.0";

    private Tools() {}

    /** A helm binary: {@code HELM}, then the PATH, {@code ~/go/bin}, the cache, else built with {@code go install}. */
    public static synchronized String helm() throws IOException, InterruptedException {
        String version = HELM_VERSION;
        String configured = System.getenv("HELM");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "helm"))) {
                return Path.of(dir, "helm").toString();
            }
        }
        Path cached = CACHE.resolve("helm-" + version).resolve("helm");
        for (Path candidate : new Path[] {Path.of(System.getProperty("user.home"), "go", "bin", "helm"), cached}) {
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return FirstUse.install(
                "helm " + version + " (go install, from the Go module proxy)",
                cached.getParent(),
                () -> build(version, cached));
    }

    private static String build(String version, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target.getParent());
        Path log = target.resolveSibling("install.log");
        // Built from source through the Go module proxy: the one route to helm this network allows.
        // At a low priority: it may run in the background while other tests run (support.FirstUseInstalls).
        ProcessBuilder install = new ProcessBuilder(
                        "nice", "-n", "10", "go", "install", "-trimpath", "helm.sh/helm/v3/cmd/helm@" + version)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        install.environment().put("GOBIN", target.getParent().toAbsolutePath().toString());
        install.environment().put("CGO_ENABLED", "0");
        Process process;
        try {
            process = install.start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "helm is not installed and Go is not available to build it: install helm" + " or Go, or set HELM",
                    e);
        }
        if (!process.waitFor(25, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("go install helm " + version + " failed; see " + log);
        }
        return target.toString();
    }
}
