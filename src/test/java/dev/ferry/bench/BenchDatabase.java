package dev.ferry.bench;

import dev.ferry.database.EmbeddedPostgresServer;
import dev.ferry.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The benchmarks' PostgreSQL: the same zonky binaries and durable settings the service uses when
 * it has no datasource, on a fresh data directory, with {@code pg_stat_statements} loaded so idle
 * statements can be counted. Every workload of one run uses this one database.
 */
final class BenchDatabase implements AutoCloseable {

    /** Settings that must be on, or the numbers describe a database that loses commits. */
    static final List<String> DURABILITY = List.of("fsync", "synchronous_commit", "full_page_writes");

    private final EmbeddedPostgres server;
    private final JdbcTemplate jdbc;
    private final Path directory;

    private BenchDatabase(EmbeddedPostgres server, Path directory) {
        this.server = server;
        this.directory = directory;
        SingleConnectionDataSource source = new SingleConnectionDataSource(url(server), "postgres", "postgres", true);
        this.jdbc = new JdbcTemplate(source);
    }

    static BenchDatabase start(Path directory) {
        try {
            deleteRecursively(directory);
            EmbeddedPostgres server = EmbeddedPostgresServer.start(
                    directory,
                    0,
                    Map.of(
                            "shared_preload_libraries", "pg_stat_statements",
                            "pg_stat_statements.track", "all",
                            // Commit times of rows, to split the approval latency into its parts.
                            "track_commit_timestamp", "on"));
            BenchDatabase database = new BenchDatabase(server, directory);
            database.jdbc.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String url(EmbeddedPostgres server) {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
    }

    TestDatabase.Coordinates coordinates() {
        return new TestDatabase.Coordinates(url(server), "postgres", "postgres");
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    /** The durability settings and the WAL sync method, as the server reports them. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : List.of(
                "fsync",
                "synchronous_commit",
                "full_page_writes",
                "wal_sync_method",
                "server_version",
                "shared_buffers",
                "max_connections")) {
            settings.put(name, jdbc.queryForObject("SHOW " + name, String.class));
        }
        return settings;
    }

    /** Refuses to benchmark a database that does not make commits durable. */
    void requireDurable() {
        Map<String, String> settings = settings();
        List<String> off = DURABILITY.stream()
                .filter(name -> !"on".equals(settings.get(name)))
                .toList();
        if (!off.isEmpty()) {
            throw new IllegalStateException(
                    "refusing to benchmark without durable commits: " + off + " not on (settings: " + settings + ")");
        }
    }

    /** CPU seconds used so far by the server and its backends (live ones: Hikari keeps them). */
    double cpuSeconds() {
        long postmaster = postmasterPid();
        double total = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                long pid = Long.parseLong(process.getFileName().toString());
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (pid == postmaster || Long.parseLong(fields[1]) == postmaster) {
                        total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    /** The server process: the one started on our data directory (zonky does not say). */
    private long postmasterPid() {
        try {
            String pid = Files.readAllLines(directory.resolve("postmaster.pid"))
                    .get(0)
                    .trim();
            return Long.parseLong(pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The next transaction id PostgreSQL will assign. Only a transaction that writes is given one
     * (Ferry uses no savepoints), so the difference over a run counts writing transactions: the
     * commits that must reach the disk, apart from read-only ones that {@link #commits} counts too.
     */
    long nextTransactionId() {
        return jdbc.queryForObject("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", Long.class);
    }

    long commits() {
        return jdbc.queryForObject(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", Long.class);
    }

    long sizeBytes() {
        return jdbc.queryForObject("SELECT pg_database_size(current_database())", Long.class);
    }

    /** Statements executed by everyone but this connection's own monitoring queries. */
    long statements() {
        jdbc.execute("SELECT pg_stat_force_next_flush()");
        return jdbc.queryForObject(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                        + "WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = current_user) "
                        + "AND query NOT ILIKE '%pg_stat%' AND query NOT ILIKE 'SHOW %'",
                Long.class);
    }

    /** The most frequent statements since {@link #resetStatements}, for the idle report. */
    List<Map<String, Object>> topStatements(int limit) {
        return jdbc.queryForList(
                "SELECT calls, round(total_exec_time::numeric, 1) AS millis, "
                        + "left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query "
                        + "FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat%' AND query NOT ILIKE 'SHOW %' "
                        + "ORDER BY calls DESC LIMIT ?",
                limit);
    }

    void resetStatements() {
        jdbc.execute("SELECT pg_stat_statements_reset()");
    }

    @Override
    public void close() throws IOException {
        ((SingleConnectionDataSource) jdbc.getDataSource()).destroy();
        server.close();
    }
}
