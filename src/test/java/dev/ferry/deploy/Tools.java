package dev.ferry.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Command-line tools the deployment tests need, found or installed the way CI can repeat. */
final class Tools {

    private static final Path INSTALLED = Path.of("target", "tools", "bin");

    private Tools() {
    }

    /** A helm binary: {@code HELM}, then the PATH, {@code ~/go/bin}, {@code target/tools/bin}, else {@code go install}. */
    static synchronized String helm(String version) throws IOException, InterruptedException {
        String configured = System.getenv("HELM");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "helm"))) {
                return Path.of(dir, "helm").toString();
            }
        }
        for (Path candidate : new Path[] {Path.of(System.getProperty("user.home"), "go", "bin", "helm"),
                INSTALLED.resolve("helm")}) {
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        Files.createDirectories(INSTALLED);
        // Built from source through the Go module proxy: the one route to helm this network allows.
        ProcessBuilder install = new ProcessBuilder("go", "install", "helm.sh/helm/v3/cmd/helm@" + version)
                .redirectErrorStream(true).redirectOutput(Path.of("target", "tools", "helm-install.log").toFile());
        install.environment().put("GOBIN", INSTALLED.toAbsolutePath().toString());
        Process process;
        try {
            process = install.start();
        } catch (IOException e) {
            throw new IllegalStateException("helm is not installed and Go is not available to build it: install helm"
                    + " or Go, or set HELM", e);
        }
        if (!process.waitFor(25, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("go install helm " + version + " failed; see target/tools/helm-install.log");
        }
        return INSTALLED.resolve("helm").toString();
    }
}
