package dev.ferry.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue #8's "raw limit": what this PostgreSQL commits per second when nothing but commits is
 * asked of it. {@code threads} connections, each transaction updating one row and inserting one,
 * committed one by one: the floor under any durable engine's transitions.
 */
final class RawCommits {

    private RawCommits() {}

    record Result(int threads, double seconds, long commits, double commitsPerSecond) {}

    static Result run(BenchDatabase database, int threads, Duration duration) {
        database.jdbc().execute("DROP TABLE IF EXISTS bench_raw_counter, bench_raw_log");
        database.jdbc().execute("CREATE TABLE bench_raw_counter (id int PRIMARY KEY, n bigint NOT NULL)");
        database.jdbc()
                .execute("CREATE TABLE bench_raw_log (id bigserial PRIMARY KEY, worker int NOT NULL, "
                        + "n bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(), note text)");
        for (int i = 0; i < threads; i++) {
            database.jdbc().update("INSERT INTO bench_raw_counter VALUES (?, 0)", i);
        }
        var coordinates = database.coordinates();
        AtomicLong commits = new AtomicLong();
        long[] window = new long[2];
        long deadline = System.nanoTime() + duration.toNanos();
        window[0] = System.nanoTime();
        AtomicInteger worker = new AtomicInteger();
        BenchClient.parallel(threads, () -> {
            int id = worker.getAndIncrement();
            try (Connection connection = DriverManager.getConnection(
                            coordinates.url(), coordinates.username(), coordinates.password());
                    PreparedStatement update = connection.prepareStatement(
                            "UPDATE bench_raw_counter SET n = n + 1 WHERE id = ? RETURNING n");
                    PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO bench_raw_log (worker, n, note) VALUES (?, ?, 'transition')")) {
                connection.setAutoCommit(false);
                while (System.nanoTime() < deadline) {
                    update.setInt(1, id);
                    long n;
                    try (var rows = update.executeQuery()) {
                        rows.next();
                        n = rows.getLong(1);
                    }
                    insert.setInt(1, id);
                    insert.setLong(2, n);
                    insert.executeUpdate();
                    connection.commit();
                    commits.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        window[1] = System.nanoTime();
        double seconds = (window[1] - window[0]) / 1e9;
        database.jdbc().execute("DROP TABLE bench_raw_counter, bench_raw_log");
        return new Result(threads, seconds, commits.get(), commits.get() / seconds);
    }
}
