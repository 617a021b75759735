package dev.ferry.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The open streams of this replica, of jobs and of campaigns together, counted in all and per
 * caller (the authenticated subject). A stream takes a slot before it opens and gives it back
 * exactly once however it ends (completed, timed out, failed, client gone, replica stopping).
 * Refusals are counted in {@code ferry.stream.refused} (tag {@code reason}: {@code subject-limit}
 * or {@code replica-limit}) and logged at WARN with the subject.
 */
@Component
public class StreamSlots {

    private static final Logger log = LoggerFactory.getLogger(StreamSlots.class);

    private final StreamProperties properties;
    private final Counter refusedForSubject;
    private final Counter refusedForReplica;
    /** Open streams per subject; guarded by {@code this}. */
    private final Map<String, Integer> bySubject = new HashMap<>();

    private int open;

    StreamSlots(StreamProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.refusedForSubject = refused(meters, "subject-limit");
        this.refusedForReplica = refused(meters, "replica-limit");
        Gauge.builder("ferry.stream.open", this, slots -> slots.open())
                .description("Event streams open on this replica (jobs and campaigns)")
                .register(meters);
    }

    private static Counter refused(MeterRegistry meters, String reason) {
        return Counter.builder("ferry.stream.refused")
                .description("Event streams refused: a caller over ferry.streams.max-per-subject, or the replica"
                        + " over ferry.streams.max-subscribers")
                .tag("reason", reason)
                .register(meters);
    }

    /**
     * A slot for one more stream of {@code subject}.
     *
     * @param what the kind of stream, for the log ("job stream")
     * @throws TooManyStreamsException 429 when the subject holds its limit, 503 when the replica does
     */
    public Slot take(String subject, String what) {
        synchronized (this) {
            int mine = bySubject.getOrDefault(subject, 0);
            if (mine < properties.maxPerSubject() && open < properties.maxSubscribers()) {
                bySubject.put(subject, mine + 1);
                open++;
                return new Slot(subject);
            }
            if (mine >= properties.maxPerSubject()) {
                refusedForSubject.increment();
                log.warn(
                        "Refused an event stream ({}) to {}: it already has {} open (ferry.streams.max-per-subject)",
                        what,
                        subject,
                        mine);
                throw new TooManyStreamsException(subject, properties.maxPerSubject());
            }
        }
        refusedForReplica.increment();
        log.warn(
                "Refused an event stream ({}) to {}: this replica serves {} streams already (ferry.streams.max-subscribers)",
                what,
                subject,
                properties.maxSubscribers());
        throw new TooManyStreamsException(properties.maxSubscribers());
    }

    /** Streams open now on this replica. */
    public synchronized int open() {
        return open;
    }

    /** Streams {@code subject} holds open now on this replica. */
    public synchronized int open(String subject) {
        return bySubject.getOrDefault(subject, 0);
    }

    private synchronized void give(String subject) {
        open--;
        bySubject.computeIfPresent(subject, (s, n) -> n > 1 ? n - 1 : null);
    }

    /** One stream's place; {@link #release} is safe to call from every way a stream ends. */
    public final class Slot {

        private final String subject;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String subject) {
            this.subject = subject;
        }

        public String subject() {
            return subject;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                give(subject);
            }
        }
    }
}
