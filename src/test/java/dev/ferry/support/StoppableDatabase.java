package dev.ferry.support;

import dev.ferry.database.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL of one test's own (not the shared one), that the test can stop and start again on
 * the same port and data directory: a database outage, as a service sees it.
 */
public final class StoppableDatabase implements AutoCloseable {

    private final Path directory;
    private final int port;
    private EmbeddedPostgres server;

    private StoppableDatabase(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    public static StoppableDatabase start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            Path directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "outage-pgdata-");
            StoppableDatabase database = new StoppableDatabase(directory, socket.getLocalPort());
            socket.close();
            database.resume();
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestDatabase.Coordinates coordinates() {
        return new TestDatabase.Coordinates("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** Stops the server (fast shutdown: sessions are cut); the data stays. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    /** Starts the server again on the same port and data directory. */
    public synchronized void resume() {
        if (server == null) {
            try {
                server = EmbeddedPostgresServer.start(directory, port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
