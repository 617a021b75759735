package dev.ferry.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts PostgreSQL from the zonky binaries on a data directory that survives restarts.
 *
 * <p>zonky turns durability off by default (fsync, synchronous_commit); a migration service whose
 * audit trail can vanish on power loss is not one, so it is switched back on here.
 */
public final class EmbeddedPostgresServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private EmbeddedPostgresServer() {}

    /** Starts the server; {@code port} 0 picks a free one. */
    public static EmbeddedPostgres start(Path dataDirectory, int port) throws IOException {
        return start(dataDirectory, port, Map.of());
    }

    /** Starts the server with more settings ({@code shared_preload_libraries} for benchmarks). */
    public static EmbeddedPostgres start(Path dataDirectory, int port, Map<String, String> settings)
            throws IOException {
        Files.createDirectories(dataDirectory);
        stopLeftoverServer(dataDirectory.toAbsolutePath().normalize());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60));
        settings.forEach(builder::setServerConfig);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /**
     * After a {@code kill -9} of the service its PostgreSQL keeps running on the data directory
     * and the next start fails. Stop that server, but only if it really is a postgres process
     * serving this very directory.
     */
    static void stopLeftoverServer(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        boolean ours = process.isPresent()
                && Path.of(lines.get(1).trim()).toAbsolutePath().normalize().equals(dataDirectory)
                && process.get()
                        .info()
                        .command()
                        .map(c -> c.endsWith("postgres"))
                        .orElse(false);
        if (!ours) {
            return;
        }
        log.warn("Stopping PostgreSQL left running on {} by an earlier run (pid {})", dataDirectory, pid);
        try {
            // SIGINT is PostgreSQL's "fast shutdown": abort sessions, checkpoint, exit.
            new ProcessBuilder("kill", "-INT", Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL " + pid, e);
        }
        Instant deadline = Instant.now().plusSeconds(30);
        while (process.get().isAlive() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping PostgreSQL " + pid, e);
            }
        }
        if (process.get().isAlive()) {
            throw new IOException("PostgreSQL " + pid + " on " + dataDirectory + " did not stop within 30 s");
        }
    }
}
