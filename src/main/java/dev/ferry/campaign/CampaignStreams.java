package dev.ferry.campaign;

import dev.ferry.stream.StreamProperties;
import dev.ferry.stream.StreamSlots;
import dev.ferry.stream.TooManyStreamsException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A campaign's timeline as Server-Sent Events: what was missed after {@code Last-Event-ID} (the
 * event's {@code seq}) first, then live events. One poller thread reads, only while a stream is
 * open, and is the only writer to the streams. A campaign's events get their {@code seq} under its
 * row lock, so they commit in {@code seq} order and "after the last one sent" never skips one.
 * Limits, heartbeats and lifetimes are the job streams' ({@code ferry.streams.*}); a campaign stream
 * takes a slot of its caller among them ({@link StreamSlots}). What was missed is read a page per
 * poll, so a long replay never holds the poller.
 */
@Service
public class CampaignStreams implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CampaignStreams.class);
    private static final int PAGE = 200;

    private final CampaignQueries queries;
    private final StreamProperties properties;
    private final Clock clock;
    private final StreamSlots slots;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ferry-campaign-streams");
        thread.setDaemon(true);
        return thread;
    });

    CampaignStreams(CampaignQueries queries, StreamProperties properties, Clock clock, StreamSlots slots) {
        this.queries = queries;
        this.properties = properties;
        this.clock = clock;
        this.slots = slots;
        long every = properties.poll().toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The campaign's events after {@code afterSeq}, then live ones.
     *
     * @throws CampaignNotFoundException when there is no such campaign
     * @throws TooManyStreamsException when {@code subject} or this replica has no stream to spare
     */
    public SseEmitter open(String subject, UUID campaignId, long afterSeq) {
        queries.events(campaignId, afterSeq, 1); // 404 for an unknown campaign, before any stream opens
        Subscription subscription = new Subscription(
                slots.take(subject, "campaign stream"),
                campaignId,
                afterSeq,
                new SseEmitter(properties.maxDuration().toMillis()),
                clock.instant());
        SseEmitter emitter = subscription.emitter;
        emitter.onCompletion(() -> forget(subscription));
        emitter.onTimeout(() -> forget(subscription));
        emitter.onError(e -> forget(subscription));
        try {
            emitter.send(SseEmitter.event().comment("ferry campaign stream").reconnectTime(2000));
        } catch (IOException | IllegalStateException e) {
            forget(subscription);
            emitter.completeWithError(e);
            return emitter;
        }
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
        } catch (RuntimeException e) {
            // The database may be away; streams stay open and catch up when it is back.
            log.warn("Campaign streams could not read events: {}", e.getMessage());
        }
    }

    private void poll() {
        Instant now = clock.instant();
        for (Subscription subscription : subscriptions) {
            try {
                List<CampaignView.Event> events = queries.events(subscription.campaignId, subscription.after, PAGE);
                for (CampaignView.Event event : events) {
                    subscription.emitter.send(SseEmitter.event()
                            .id(Long.toString(event.seq()))
                            .name(event.type())
                            .data(event, MediaType.APPLICATION_JSON));
                    subscription.after = event.seq();
                    subscription.lastSent = now;
                }
                if (events.isEmpty()
                        && subscription.lastSent.plus(properties.heartbeat()).isBefore(now)) {
                    subscription.emitter.send(SseEmitter.event().comment("heartbeat"));
                    subscription.lastSent = now;
                }
            } catch (IOException | IllegalStateException gone) {
                // The client went away (or the emitter completed): forget the stream.
                forget(subscription);
                subscription.emitter.completeWithError(gone);
            }
        }
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
        subscriptions.forEach(s -> {
            s.emitter.complete();
            s.slot.release();
        });
    }

    /** One open stream; {@code after} and {@code lastSent} are touched by the poller thread only. */
    private static final class Subscription {

        private final StreamSlots.Slot slot;
        private final UUID campaignId;
        private final SseEmitter emitter;
        private long after;
        private Instant lastSent;

        Subscription(StreamSlots.Slot slot, UUID campaignId, long after, SseEmitter emitter, Instant opened) {
            this.slot = slot;
            this.campaignId = campaignId;
            this.after = after;
            this.emitter = emitter;
            this.lastSent = opened;
        }
    }
}
