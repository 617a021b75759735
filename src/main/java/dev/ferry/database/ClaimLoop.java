package dev.ferry.database;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's share of a queue kept in PostgreSQL (steps, notifications): a loop that claims as
 * many due items as it has free slots, hands each to a pool thread, and otherwise sleeps until a
 * NOTIFY on the queue's channel, a freed slot, the next due time, or a slow fallback poll. Nothing
 * here knows what the items are; the {@link Queue} claims them with its own lease or fencing.
 *
 * <p>A queue may have urgent items. Then the loop keeps {@code urgentSlots} extra slots that only
 * urgent items (and urgent {@link #tryReserve}s) may take, so urgent work never waits behind routine work
 * for a slot: routine claims stop at {@code concurrency} items in hand.
 *
 * @param <T> a claimed item
 */
public final class ClaimLoop<T> {

    private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);

    /** Where the items come from. */
    public interface Queue<T> {

        /** Claims at most {@code max} due items for {@code owner}. */
        List<T> claim(String owner, int max);

        /**
         * Claims at most {@code max} due items for {@code owner}, of which at most {@code routineMax}
         * not urgent. A queue without urgent items claims {@code routineMax}.
         */
        default List<T> claim(String owner, int max, int routineMax) {
            return claim(owner, routineMax);
        }

        /**
         * When the loop should look again at the latest, besides a wake-up; {@code slotFree} says
         * whether a claim could take anything now.
         */
        Optional<Instant> nextDue(boolean slotFree);

        /** Called on the loop thread before each claim (e.g. waking timers that fell due). */
        default void beforeClaim() {}
    }

    private final String name;
    private final int concurrency;
    private final int urgentSlots;
    private final Duration fallbackPoll;
    private final Clock clock;
    private final Queue<T> queue;
    private final Consumer<T> handler;
    private final Wakeup signal;
    private final ChannelListener listener;
    private final String owner = ownerId();
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile boolean running;
    private Thread loop;
    private Thread listenerThread;
    private ExecutorService pool;

    /**
     * @param name thread names: {@code <name>-1..n}, {@code <name>-dispatcher}, {@code <name>-listener}
     * @param channel the NOTIFY channel replicas announce new items on
     */
    public ClaimLoop(
            String name,
            int concurrency,
            Duration fallbackPoll,
            Clock clock,
            DataSource dataSource,
            String channel,
            Wakeup signal,
            Queue<T> queue,
            Consumer<T> handler) {
        this(name, concurrency, 0, fallbackPoll, clock, dataSource, channel, signal, queue, handler);
    }

    /** @param urgentSlots slots beyond {@code concurrency} that only urgent items may take */
    public ClaimLoop(
            String name,
            int concurrency,
            int urgentSlots,
            Duration fallbackPoll,
            Clock clock,
            DataSource dataSource,
            String channel,
            Wakeup signal,
            Queue<T> queue,
            Consumer<T> handler) {
        this.name = name;
        this.concurrency = concurrency;
        this.urgentSlots = urgentSlots;
        this.fallbackPoll = fallbackPoll;
        this.clock = clock;
        this.queue = queue;
        this.handler = handler;
        this.signal = signal;
        this.listener = new ChannelListener(dataSource, channel, signal);
    }

    /** This replica's claim owner: host, process and a random part, so a restart is a new owner. */
    public String owner() {
        return owner;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        AtomicInteger threads = new AtomicInteger();
        pool = Executors.newFixedThreadPool(
                concurrency + urgentSlots, r -> new Thread(r, name + "-" + threads.incrementAndGet()));
        listenerThread = new Thread(listener, name + "-listener");
        listenerThread.setDaemon(true);
        listenerThread.start();
        loop = new Thread(this::dispatch, name + "-dispatcher");
        loop.start();
    }

    public boolean isRunning() {
        return running;
    }

    /** Whether a claim now could take an item: running, with a slot free (an urgent one if {@code urgent}). */
    public boolean hasFreeSlot(boolean urgent) {
        return running && inFlight.get() < (urgent ? concurrency + urgentSlots : concurrency);
    }

    /** Whether urgent items take slots beyond {@code concurrency} now: the urgent lane is in use. */
    public boolean inUrgentLane() {
        return inFlight.get() > concurrency;
    }

    /**
     * Reserves a slot for an item this replica obtained without a claim (e.g. leased in the
     * transaction that made it ready); false when none is free. An urgent item may take the urgent
     * lane, a routine one only a slot within {@code concurrency}. Pass it to {@link #runReserved}
     * or give it back with {@link #release}.
     */
    public boolean tryReserve(boolean urgent) {
        int limit = urgent ? concurrency + urgentSlots : concurrency;
        for (int n = inFlight.get(); running && n < limit; n = inFlight.get()) {
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code work} in the slot {@link #tryReserve} reserved; false if the loop stopped meanwhile. */
    public boolean runReserved(Runnable work) {
        try {
            pool.execute(() -> {
                try {
                    work.run();
                } finally {
                    release();
                }
            });
            return true;
        } catch (RejectedExecutionException stopped) {
            release();
            return false;
        }
    }

    /** Gives back a slot {@link #tryReserve} reserved. */
    public void release() {
        inFlight.decrementAndGet();
        signal.wake();
    }

    /**
     * Stops claiming, gives the items in hand up to {@code grace} to finish, then interrupts them.
     *
     * @return how many items were in hand when claiming stopped
     */
    public synchronized int stop(Duration grace) {
        if (!running) {
            return 0;
        }
        running = false;
        signal.wake();
        listener.stop();
        int inHand = 0;
        try {
            loop.join(10_000);
            pool.shutdown();
            inHand = inFlight.get();
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                pool.awaitTermination(1, TimeUnit.SECONDS);
            }
            listenerThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return inHand;
    }

    private void dispatch() {
        while (running) {
            try {
                queue.beforeClaim();
                int inHand = inFlight.get();
                int free = concurrency + urgentSlots - inHand;
                if (free > 0) {
                    int routineFree = Math.max(0, concurrency - inHand);
                    List<T> claimed = queue.claim(owner, free, Math.min(free, routineFree));
                    claimed.forEach(this::submit);
                    if (claimed.size() == free) {
                        continue;
                    }
                }
                signal.await(untilNextDue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database may be away: try again soon, without spinning.
                log.warn("{}: claiming failed: {}", name, e.getMessage());
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private Duration untilNextDue() {
        Duration wait = fallbackPoll;
        // Only a routine slot makes due routine items worth waking for; urgent ones announce themselves.
        Optional<Instant> next = queue.nextDue(inFlight.get() < concurrency);
        if (next.isPresent()) {
            Duration until = Duration.between(clock.instant(), next.get());
            wait = until.compareTo(wait) < 0 ? until : wait;
        }
        return wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
    }

    private void submit(T item) {
        inFlight.incrementAndGet();
        pool.execute(() -> {
            try {
                handler.accept(item);
            } finally {
                release();
            }
        });
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String ownerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return host + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
