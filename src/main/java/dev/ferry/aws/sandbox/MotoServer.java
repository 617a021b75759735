package dev.ferry.aws.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;

/**
 * A local {@code moto_server} child process in a Python virtual environment of its own: installed
 * on first use, bound to 127.0.0.1 on a free port, logging to {@code <home>/moto.log}. Its state
 * lives in memory only, so every start is an empty AWS account.
 */
final class MotoServer implements RunningEmulator {

    // PINNED: moto 5 is the line the test emulator (AwsEmulator) and its Docker image use.
    static final String REQUIREMENT = "moto[server]>=5,<6";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Installs moto into {@code home} unless it is there already, starts it and waits until it
     * answers, or fails with a message that says what to look at.
     */
    static MotoServer start(Path home, String python, Duration startupTimeout, Log log) {
        Path server = home.resolve("bin").resolve("moto_server");
        if (!Files.isExecutable(server)) {
            install(home, python, log);
        }
        int port = freePort();
        Path logFile = home.resolve("moto.log");
        log.info("Starting moto_server on 127.0.0.1:" + port + " (log: " + logFile + ")");
        Process process;
        try {
            process = new ProcessBuilder(server.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new SandboxStartupException("cannot start " + server + ": " + e.getMessage(), e);
        }
        MotoServer moto = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
        // Registered before waiting, so a moto that never becomes ready is not left behind either.
        Runtime.getRuntime().addShutdownHook(new Thread(moto::close, "ferry-sandbox-moto-stop"));
        moto.awaitReady(startupTimeout, logFile);
        return moto;
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops moto: politely first, then forcibly. Safe to call more than once. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void install(Path home, String python, Log log) {
        String what = "Installing " + REQUIREMENT + " into " + home + " (first run only; needs python3 and PyPI)";
        log.info(what);
        // Logging is not set up yet, so the deferred line above appears only after pip has finished.
        System.err.println("Ferry sandbox: " + what);
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + home, e);
        }
        run(
                home,
                List.of(python, "-m", "venv", home.toString()),
                "is Python 3 installed? Set ferry.sandbox.python to its path, or point ferry.aws.endpoint at an emulator");
        run(
                home,
                List.of(
                        home.resolve("bin").resolve("pip").toString(),
                        "install",
                        "--disable-pip-version-check",
                        REQUIREMENT),
                "can this machine reach PyPI? See the pip output above");
        log.info("Installed moto into " + home);
    }

    private static void run(Path directory, List<String> command, String hint) {
        String shown = String.join(" ", command);
        try {
            // The user sees pip's own progress: application logging is not initialised this early.
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .inheritIO()
                    .start();
            if (!process.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new SandboxStartupException(
                        shown + " did not finish within " + INSTALL_TIMEOUT + "; " + hint, null);
            }
            if (process.exitValue() != 0) {
                throw new SandboxStartupException(shown + " exited with " + process.exitValue() + "; " + hint, null);
            }
        } catch (IOException e) {
            throw new SandboxStartupException("cannot run " + shown + "; " + hint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxStartupException("interrupted while running " + shown, e);
        }
    }

    private void awaitReady(Duration timeout, Path logFile) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(endpoint.resolve("/moto-api/"))
                .timeout(Duration.ofSeconds(5))
                .build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException stillStarting) {
                // connection refused until moto has bound its port
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new SandboxStartupException("interrupted while waiting for moto_server", e);
            }
            try {
                // Waiting on the process rather than sleeping notices at once if moto exits.
                if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                    throw new SandboxStartupException(
                            "moto_server exited with " + process.exitValue() + " before answering; see " + logFile,
                            null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new SandboxStartupException("interrupted while waiting for moto_server", e);
            }
        }
        close();
        throw new SandboxStartupException(
                "moto_server did not answer GET " + probe.uri() + " with 200 within " + timeout.toSeconds() + " s; see "
                        + logFile,
                null);
    }

    private static int freePort() {
        // The port is free now; the small race with another process taking it is reported by moto's log.
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
