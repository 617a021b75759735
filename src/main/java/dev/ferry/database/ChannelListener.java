package dev.ferry.database;

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
 * Holds one connection that {@code LISTEN}s on a PostgreSQL channel where every replica announces
 * committed work, and wakes this replica when something arrives. After a lost connection (a
 * database restart) it reconnects with backoff and wakes once, since anything may have happened
 * while nobody listened. Run it on a thread of its own; {@link #stop} ends it.
 */
public final class ChannelListener implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ChannelListener.class);
    private static final int POLL_MILLIS = 500;

    private final DataSource dataSource;
    private final String channel;
    private final Wakeup wakeup;
    private volatile boolean running = true;

    public ChannelListener(DataSource dataSource, String channel, Wakeup wakeup) {
        if (!channel.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        this.dataSource = dataSource;
        this.channel = channel;
        this.wakeup = wakeup;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                backoff = Duration.ofMillis(200);
                wakeup.wake();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            wakeup.notified(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                log.warn(
                        "Notifications on {} lost ({}); reconnecting in {} ms",
                        channel,
                        e.getMessage(),
                        backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                        ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
            }
        }
    }
}
