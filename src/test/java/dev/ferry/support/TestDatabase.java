package dev.ferry.support;

import dev.ferry.database.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The one place that picks the PostgreSQL every test uses: {@code TEST_DATABASE_URL} if set (with
 * {@code TEST_DATABASE_USER}/{@code TEST_DATABASE_PASSWORD}), else a Testcontainers PostgreSQL 16
 * where a Docker engine answers, else an embedded PostgreSQL 16 started from the service's own
 * starter (so tests run with the durability settings production uses). One server per test JVM;
 * {@link #newDatabase()} gives a test an empty database of its own on it.
 */
public final class TestDatabase {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Server server;

    private TestDatabase() {}

    /** The database shared by the cached Spring test context. */
    public static synchronized Coordinates shared() {
        return server().coordinates("ferry_shared");
    }

    /** A fresh, empty database, for tests that start their own engines. */
    public static synchronized Coordinates newDatabase() {
        return server().coordinates("ferry_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet());
    }

    /** Where the chosen server came from, for test logs. */
    public static synchronized String kind() {
        return server().kind();
    }

    private static Server server() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    private static Server start() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return new Server(
                    "TEST_DATABASE_URL", url, env("TEST_DATABASE_USER", "postgres"), env("TEST_DATABASE_PASSWORD", ""));
        }
        if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            return new Server(
                    "testcontainers", container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        try {
            Path directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "test-pgdata-");
            EmbeddedPostgres postgres = EmbeddedPostgresServer.start(directory, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is ending anyway
                }
            }));
            return new Server("embedded", postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** JDBC coordinates of one database. */
    public record Coordinates(String url, String username, String password) {

        /** A JdbcTemplate on this database (a new connection per call), for tests that check rows. */
        public JdbcTemplate jdbc() {
            return new JdbcTemplate(new DriverManagerDataSource(url, username, password));
        }
    }

    private record Server(String kind, String adminUrl, String username, String password) {

        Coordinates coordinates(String database) {
            try (Connection connection = DriverManager.getConnection(adminUrl, username, password);
                    Statement statement = connection.createStatement()) {
                var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE " + database);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create test database " + database, e);
            }
            int slash = adminUrl.lastIndexOf('/');
            int query = adminUrl.indexOf('?', slash);
            String url = adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
            return new Coordinates(url, username, password);
        }
    }
}
