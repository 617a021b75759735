package dev.ferry.job;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Many callers' reads answered by one read of all their keys, and never by a read that began
 * before the caller asked. Dashboards revalidate the same kind of small value (a job's view
 * version, a board page's version) from many threads at once; each of those reads alone is a
 * connection checkout, a round trip and a statement on both sides, for a few bytes.
 *
 * <p>The first caller to find no batch open opens one and leads it: it waits until fewer than
 * {@code parallel} batches are being read, then closes the batch and reads every key in it. Callers
 * arriving meanwhile add their key to the open batch and wait for its result. A batch is closed
 * before its read begins, so every key in it was asked before the read's snapshot was taken: an
 * answer is as current as a read of the caller's own, only shared. That is what lets a {@code 304}
 * stay exact across replicas (a write committed anywhere before the request arrived is seen), where
 * a cache invalidated by notifications would be right only once the notification arrived.
 *
 * <p>A failed read fails every caller of its batch with the same exception. A batch waits at most
 * {@link #MAX_QUEUED} for a running read to end, so reads that hang do not queue every later
 * caller behind them.
 */
final class CoalescedReads<K, V> {

    /** How long a batch waits for a running read to end before it is read alongside. */
    static final Duration MAX_QUEUED = Duration.ofSeconds(1);

    private final Duration maxQueued;

    private final Function<Set<K>, Map<K, V>> read;
    private final int parallel;

    /** Batches being read now; guarded by {@code this}. */
    private int reading;

    /** The batch taking keys; null when none is; guarded by {@code this}. */
    private Batch<K, V> open;

    /**
     * @param read reads the keys of one batch (a key missing from its answer reads as null)
     * @param parallel how many batches are read at the same time, unless they take longer than
     *     {@link #MAX_QUEUED}
     */
    CoalescedReads(Function<Set<K>, Map<K, V>> read, int parallel) {
        this(read, parallel, MAX_QUEUED);
    }

    CoalescedReads(Function<Set<K>, Map<K, V>> read, int parallel, Duration maxQueued) {
        this.maxQueued = maxQueued;
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
        this.read = read;
        this.parallel = parallel;
    }

    private static final class Batch<K, V> {
        final Set<K> keys = new LinkedHashSet<>();
        private Map<K, V> result;
        private Throwable failure;
        private boolean done;

        synchronized void finish(Map<K, V> result, Throwable failure) {
            this.result = result;
            this.failure = failure;
            this.done = true;
            notifyAll();
        }

        synchronized V await(K key) {
            boolean interrupted = false;
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // others depend on this batch's leader, not on us; keep waiting
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result.get(key);
        }
    }

    /** Keys in the batch that has not begun its read (for tests). */
    synchronized int queued() {
        return open == null ? 0 : open.keys.size();
    }

    /** The value of {@code key}, from a read that began after this call did. */
    V get(K key) {
        Batch<K, V> batch;
        boolean lead;
        synchronized (this) {
            lead = open == null;
            if (lead) {
                open = new Batch<>();
            }
            batch = open;
            batch.keys.add(key);
            if (lead) {
                // Bounded: were the running reads stuck (a database that stopped answering), this
                // batch reads on its own after a while, and fails or succeeds as a lone read would.
                long deadline = System.nanoTime() + maxQueued.toNanos();
                boolean interrupted = false;
                while (reading >= parallel) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        interrupted = true; // the batch's other callers wait for this leader
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                open = null; // closed: no key joins after this point, so all were asked before the read
                reading++;
            }
        }
        if (lead) {
            Map<K, V> result = null;
            Throwable failure = null;
            try {
                result = read.apply(batch.keys);
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                synchronized (this) {
                    reading--;
                    notifyAll();
                }
                batch.finish(result == null ? Map.of() : result, failure);
            }
        }
        return batch.await(key);
    }
}
