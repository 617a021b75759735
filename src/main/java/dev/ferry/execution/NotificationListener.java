package dev.ferry.execution;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Holds one connection that {@code LISTEN}s for work announced by any replica, and wakes the dispatcher. */
final class NotificationListener implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int POLL_MILLIS = 500;

    private final DataSource dataSource;
    private final WorkSignal signal;
    private volatile boolean running = true;

    NotificationListener(DataSource dataSource, WorkSignal signal) {
        this.dataSource = dataSource;
        this.signal = signal;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + PostgresReadyWork.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                backoff = Duration.ofMillis(200);
                // Anything may have happened while we were not listening.
                signal.wake();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        signal.wake();
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                log.warn("Work notifications lost ({}); reconnecting in {} ms", e.getMessage(), backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                        ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
            }
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
