package dev.ferry.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that {@code LISTEN}s on {@link #CHANNEL}, where every replica announces
 * committed notifications, and wakes this replica's delivery loop: the replica that wrote a row
 * wakes itself directly, the others through this, so no delivery waits for the fallback poll.
 */
final class DeliveryWakeups implements Runnable {

    static final String CHANNEL = "ferry_notify";
    private static final Logger log = LoggerFactory.getLogger(DeliveryWakeups.class);
    private static final int POLL_MILLIS = 500;

    private final DataSource dataSource;
    private final DeliverySignal signal;
    private volatile boolean running = true;

    DeliveryWakeups(DataSource dataSource, DeliverySignal signal) {
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
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                backoff = Duration.ofMillis(200);
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
                log.warn("Notification wake-ups lost ({}); reconnecting in {} ms", e.getMessage(), backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                        ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
            }
        }
    }
}
