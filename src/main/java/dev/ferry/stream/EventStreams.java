package dev.ferry.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Serves job timelines as Server-Sent Events. One poller thread per replica reads events
 * committed by any replica, in commit-safe order (see V6), only while at least one stream is open,
 * and is the only thread that writes to the streams, so a stream's events never interleave. A
 * client that reconnects with {@code Last-Event-ID} gets what it missed first, then live events,
 * without gaps or repeats. What it missed is read in keyset pages and bounded per connection
 * ({@code ferry.streams.max-replay}): past the bound the stream sends {@code replay-truncated},
 * whose {@code id:} is the position reached, and ends, so the client reconnects from there (as
 * EventSource does by itself) and one {@code Last-Event-ID: 0-0} never reads the whole history at
 * once. Each stream holds a {@link StreamSlots} slot of its caller while it is open.
 */
@Service
public class EventStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
    private static final int PAGE = 500;
    private static final String COLUMNS =
            """
            SELECT e.id, e.tx::text AS tx, e.job_id, e.seq, e.at, e.actor, e.type, e.phase, e.step_id, e.from_state,
                   e.to_state, e.reason, e.detail::text AS detail, j.state, p.name AS plan
              FROM job_event e JOIN migration_job j ON j.id = e.job_id JOIN plan p ON p.id = j.plan_id
            """;
    private static final String COMMITTED = "e.tx < pg_snapshot_xmin(pg_current_snapshot())";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final StreamProperties properties;
    private final Clock clock;
    private final StreamSlots slots;
    private final Counter truncatedReplays;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ferry-event-streams");
        thread.setDaemon(true);
        return thread;
    });
    /** Where the shared read is; touched by the poller thread only. Null while nobody listens. */
    private Cursor head;

    EventStreams(
            JdbcTemplate jdbc,
            ObjectMapper json,
            StreamProperties properties,
            Clock clock,
            StreamSlots slots,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
        this.slots = slots;
        this.truncatedReplays = Counter.builder("ferry.stream.replay.truncated")
                .description("Stream connections that replayed ferry.streams.max-replay missed events and ended,"
                        + " for the client to reconnect from where they stopped")
                .register(meters);
        long every = properties.poll().toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * One job's events after {@code afterSeq}, then live ones, for {@code subject}.
     *
     * @throws TooManyStreamsException when the subject or this replica has no stream to spare
     */
    public SseEmitter job(String subject, UUID jobId, long afterSeq) {
        StreamSlots.Slot slot = slots.take(subject, "job stream");
        return open(new Subscription(slot, jobId, afterSeq, null, Set.of(), Set.of()));
    }

    /**
     * Every job's events after {@code lastEventId} (a cursor this stream sent), or without it every
     * event committed after the stream opened; {@code states} and {@code plans} filter by the job's
     * state and plan (empty: all).
     *
     * @throws InvalidStreamPositionException if {@code lastEventId} is not a position this stream sent
     * @throws TooManyStreamsException when the subject or this replica has no stream to spare
     */
    public SseEmitter all(String subject, String lastEventId, Set<String> states, Set<String> plans) {
        Cursor from = lastEventId == null || lastEventId.isBlank() ? present() : Cursor.parse(lastEventId);
        StreamSlots.Slot slot = slots.take(subject, "all-jobs stream");
        return open(new Subscription(slot, null, 0, from, Set.copyOf(states), Set.copyOf(plans)));
    }

    /**
     * A position before every event that commits from now on, taken before the stream answers: the
     * oldest running transaction's xid (everything before it has committed already). Events that
     * committed just before, while an older transaction was still running, may come too: a repeat
     * is harmless, a loss is not. Taking the shared read's position at the next poll instead lost
     * the events committed in between: a client that opened the stream and then started a job
     * missed the job's first events.
     */
    private Cursor present() {
        String xmin = jdbc.queryForObject("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", String.class);
        return new Cursor(Long.parseLong(xmin), 0);
    }

    public int openStreams() {
        return subscriptions.size();
    }

    private SseEmitter open(Subscription subscription) {
        SseEmitter emitter = subscription.emitter;
        emitter.onCompletion(() -> forget(subscription));
        emitter.onTimeout(() -> forget(subscription));
        emitter.onError(e -> forget(subscription));
        try {
            // Sends the headers now, and tells the browser how soon to come back after a drop.
            emitter.send(SseEmitter.event().comment("ferry event stream").reconnectTime(2000));
        } catch (IOException | IllegalStateException e) {
            forget(subscription);
            emitter.completeWithError(e);
            return emitter;
        }
        subscription.lastSentAt = clock.instant();
        subscriptions.add(subscription);
        return emitter;
    }

    /** The stream is over, however it ended: it gets nothing more and gives its caller's slot back. */
    private void forget(Subscription subscription) {
        subscriptions.remove(subscription);
        subscription.slot.release();
    }

    private void pollSafely() {
        try {
            poll();
        } catch (DataAccessException e) {
            // The database is away: streams stay open and catch up when it is back.
            log.warn("Event streams could not read the timeline: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Event stream poll failed", e);
        }
    }

    void poll() {
        if (subscriptions.isEmpty()) {
            head = null;
            return;
        }
        if (head == null) {
            head = jdbc.query(
                    "SELECT e.tx::text AS tx, e.id FROM job_event e WHERE " + COMMITTED
                            + " ORDER BY e.tx DESC, e.id DESC LIMIT 1",
                    rs -> rs.next() ? Cursor.of(rs) : Cursor.START);
        }
        List<StreamEvent> fresh;
        do {
            fresh = jdbc.query(
                    COLUMNS + " WHERE (e.tx, e.id) > (CAST(? AS text)::xid8, ?) AND " + COMMITTED
                            + " ORDER BY e.tx, e.id LIMIT " + PAGE,
                    this::event,
                    String.valueOf(head.tx()),
                    head.id());
            Cursor before = head;
            Instant now = clock.instant();
            for (Subscription subscription : subscriptions) {
                try {
                    if (!subscription.catchUp(before)) {
                        forget(subscription); // replayed its bound and ended: the client comes back
                        continue;
                    }
                    for (StreamEvent event : fresh) {
                        subscription.offer(event);
                    }
                    subscription.heartbeat(now);
                } catch (IOException | IllegalStateException e) {
                    // The client went away: the stream ends here, whenever Spring notices too.
                    forget(subscription);
                    subscription.emitter.completeWithError(e);
                }
            }
            if (!fresh.isEmpty()) {
                head = Cursor.parse(fresh.get(fresh.size() - 1).cursor());
            }
        } while (fresh.size() == PAGE);
    }

    private StreamEvent event(ResultSet rs, int row) throws SQLException {
        try {
            String detail = rs.getString("detail");
            return new StreamEvent(
                    rs.getObject("job_id", UUID.class),
                    rs.getLong("seq"),
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("actor"),
                    rs.getString("type"),
                    rs.getString("phase"),
                    rs.getString("step_id"),
                    rs.getString("from_state"),
                    rs.getString("to_state"),
                    rs.getString("reason"),
                    detail == null ? null : json.readTree(detail),
                    rs.getString("state"),
                    rs.getString("plan"),
                    Cursor.of(rs).toString());
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable event detail", e);
        }
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every stream before the web server's graceful shutdown starts waiting for open requests:
     * a stream never ends by itself, and clients reconnect to another replica with Last-Event-ID.
     */
    @Override
    public void stop() {
        running = false;
        poller.shutdownNow();
        subscriptions.forEach(s -> {
            s.emitter.complete();
            s.slot.release();
        });
        subscriptions.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** A position in the all-jobs order: the inserting transaction, then the event id. */
    record Cursor(long tx, long id) implements Comparable<Cursor> {

        static final Cursor START = new Cursor(0, 0);

        static Cursor of(ResultSet rs) throws SQLException {
            return new Cursor(Long.parseLong(rs.getString("tx")), rs.getLong("id"));
        }

        static Cursor parse(String text) {
            String[] parts = text.trim().split("-");
            try {
                if (parts.length == 2) {
                    Cursor cursor = new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                    if (cursor.tx >= 0 && cursor.id >= 0) {
                        return cursor;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidStreamPositionException("Last-Event-ID '" + text
                    + "' is not a position of the all-jobs stream (<tx>-<id>, as sent in its id: lines)");
        }

        @Override
        public int compareTo(Cursor other) {
            return tx != other.tx ? Long.compare(tx, other.tx) : Long.compare(id, other.id);
        }

        @Override
        public String toString() {
            return tx + "-" + id;
        }
    }

    /** One open stream: a job's (by seq) or every job's (by cursor), with filters. */
    private final class Subscription {

        final SseEmitter emitter = new SseEmitter(properties.maxDuration().toMillis());
        final StreamSlots.Slot slot;
        final UUID jobId;
        final Set<String> states;
        final Set<String> plans;
        long lastSeq;
        Cursor cursor;
        boolean caughtUp;
        Instant lastSentAt;

        Subscription(
                StreamSlots.Slot slot, UUID jobId, long lastSeq, Cursor cursor, Set<String> states, Set<String> plans) {
            this.slot = slot;
            this.jobId = jobId;
            this.lastSeq = lastSeq;
            this.cursor = cursor;
            this.states = states;
            this.plans = plans;
        }

        /**
         * On the first poll: what the client missed (or what committed since the stream opened), up
         * to where the shared read is, in keyset pages and at most {@code ferry.streams.max-replay}
         * events. False when there was more: the stream then sent {@code replay-truncated} and ended.
         */
        boolean catchUp(Cursor head) throws IOException {
            if (caughtUp) {
                return true;
            }
            int budget = properties.maxReplay();
            List<StreamEvent> page;
            int asked;
            do {
                // One more than the budget allows tells whether the replay would go on.
                asked = Math.min(PAGE, budget + 1);
                page = jobId != null
                        ? jdbc.query(
                                COLUMNS + " WHERE e.job_id = ? AND e.seq > ? ORDER BY e.seq LIMIT " + asked,
                                EventStreams.this::event,
                                jobId,
                                lastSeq)
                        : jdbc.query(
                                COLUMNS + " WHERE (e.tx, e.id) > (CAST(? AS text)::xid8, ?)"
                                        + " AND (e.tx, e.id) <= (CAST(? AS text)::xid8, ?) AND " + COMMITTED
                                        + " ORDER BY e.tx, e.id LIMIT " + asked,
                                EventStreams.this::event,
                                String.valueOf(cursor.tx()),
                                cursor.id(),
                                String.valueOf(head.tx()),
                                head.id());
                for (StreamEvent event : page) {
                    if (budget == 0) {
                        truncate();
                        return false;
                    }
                    offer(event);
                    budget--;
                }
            } while (page.size() == asked);
            if (jobId == null && cursor.compareTo(head) < 0) {
                cursor = head;
            }
            // Only now: a read that failed half-way (the database away) is taken up again at the
            // next poll from what was sent, instead of leaving the rest of the replay out.
            caughtUp = true;
            return true;
        }

        /**
         * Tells the client where the replay stopped and ends the stream: {@code id:} is the last
         * position read (filtered-out events included), so a reconnect with it continues right after.
         */
        private void truncate() throws IOException {
            String at = jobId != null ? String.valueOf(lastSeq) : cursor.toString();
            emitter.send(SseEmitter.event()
                    .id(at)
                    .name("replay-truncated")
                    .data(
                            Map.of(
                                    "lastEventId",
                                    at,
                                    "maxReplay",
                                    properties.maxReplay(),
                                    "detail",
                                    "this connection replayed its limit of missed events"
                                            + " (ferry.streams.max-replay); reconnect with Last-Event-ID " + at
                                            + " for the next ones"),
                            MediaType.APPLICATION_JSON));
            emitter.complete();
            truncatedReplays.increment();
            log.info(
                    "A {} stream of {} replayed {} missed events (ferry.streams.max-replay) and ended at {}",
                    jobId != null ? "job" : "all-jobs",
                    slot.subject(),
                    properties.maxReplay(),
                    at);
        }

        /** Sends {@code event} if this stream wants it and has not had it. */
        void offer(StreamEvent event) throws IOException {
            if (jobId != null) {
                if (!jobId.equals(event.jobId()) || event.seq() <= lastSeq) {
                    return;
                }
                send(String.valueOf(event.seq()), event);
                lastSeq = event.seq();
                return;
            }
            Cursor at = Cursor.parse(event.cursor());
            if (at.compareTo(cursor) <= 0) {
                return;
            }
            cursor = at;
            if ((states.isEmpty() || states.contains(event.jobState()))
                    && (plans.isEmpty() || plans.contains(event.plan()))) {
                send(event.cursor(), event);
            }
        }

        void heartbeat(Instant now) throws IOException {
            if (!now.isBefore(lastSentAt.plus(properties.heartbeat()))) {
                emitter.send(SseEmitter.event().comment("heartbeat " + now));
                lastSentAt = now;
            }
        }

        private void send(String id, StreamEvent event) throws IOException {
            emitter.send(SseEmitter.event().id(id).name("job-event").data(event, MediaType.APPLICATION_JSON));
            lastSentAt = clock.instant();
        }
    }
}
