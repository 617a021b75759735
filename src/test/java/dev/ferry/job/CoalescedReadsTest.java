package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoalescedReadsTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(32);

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLoneCallerReadsItsOwnKeyAndAnUnknownKeyIsNull() {
        List<Set<String>> batches = new CopyOnWriteArrayList<>();
        CoalescedReads<String, String> reads = new CoalescedReads<>(
                keys -> {
                    batches.add(Set.copyOf(keys));
                    Map<String, String> found = new HashMap<>();
                    keys.stream().filter(k -> !k.equals("unknown")).forEach(k -> found.put(k, k.toUpperCase()));
                    return found;
                },
                1);

        assertThat(reads.get("a")).isEqualTo("A");
        assertThat(reads.get("unknown")).isNull();
        assertThat(batches).containsExactly(Set.of("a"), Set.of("unknown"));
    }

    @Test
    void callersArrivingWhileAReadRunsShareTheNextReadNotTheRunningOne() throws Exception {
        CountDownLatch firstReadMayEnd = new CountDownLatch(1);
        CountDownLatch firstReadBegan = new CountDownLatch(1);
        List<Set<Integer>> batches = new CopyOnWriteArrayList<>();
        CoalescedReads<Integer, Integer> reads = new CoalescedReads<>(
                keys -> {
                    batches.add(Set.copyOf(keys));
                    if (batches.size() == 1) {
                        firstReadBegan.countDown();
                        await(firstReadMayEnd);
                    }
                    Map<Integer, Integer> values = new HashMap<>();
                    keys.forEach(k -> values.put(k, k * 10));
                    return values;
                },
                1,
                Duration.ofMinutes(1));

        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> reads.get(0), threads);
        await(firstReadBegan);
        List<CompletableFuture<Integer>> later = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            int key = i;
            later.add(CompletableFuture.supplyAsync(() -> reads.get(key), threads));
        }
        // All twenty are in the next batch, which waits for the running read to end.
        Awaitility.await().until(() -> reads.queued() == 20);
        firstReadMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
        for (int i = 0; i < later.size(); i++) {
            assertThat(later.get(i).get(10, TimeUnit.SECONDS)).isEqualTo((i + 1) * 10);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).containsExactly(0);
        assertThat(batches.get(1))
                .as("one read for all who came while the first ran")
                .hasSize(20);
    }

    @Test
    void noAnswerComesFromAReadThatBeganBeforeItsCallerAsked() throws Exception {
        // A write counter stands for the database: each caller "commits" just before it asks, and
        // every read answers with the counter as it was when the read began.
        AtomicLong committed = new AtomicLong();
        CoalescedReads<Integer, Long> reads = new CoalescedReads<>(
                keys -> {
                    long seen = committed.get();
                    Thread.onSpinWait();
                    Map<Integer, Long> values = new HashMap<>();
                    keys.forEach(k -> values.put(k, seen));
                    return values;
                },
                2);
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        List<String> stale = new CopyOnWriteArrayList<>();
        for (int t = 0; t < 16; t++) {
            int key = t % 4;
            callers.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i = 0; i < 2_000; i++) {
                            long mine = committed.incrementAndGet();
                            long seen = reads.get(key);
                            if (seen < mine) {
                                stale.add("wrote " + mine + ", read " + seen);
                            }
                        }
                    },
                    threads));
        }
        CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(stale).isEmpty();
    }

    @Test
    void aFailedReadFailsEveryCallerOfItsBatchAndTheNextReadWorks() {
        AtomicLong calls = new AtomicLong();
        CoalescedReads<String, String> reads = new CoalescedReads<>(
                keys -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("database down");
                    }
                    Map<String, String> values = new HashMap<>();
                    keys.forEach(k -> values.put(k, k));
                    return values;
                },
                1);

        assertThatThrownBy(() -> reads.get("a")).hasMessage("database down");
        assertThat(reads.get("a")).isEqualTo("a");
    }

    @Test
    void aReadThatHangsDoesNotHoldUpTheNextBatchForLong() throws Exception {
        CountDownLatch hungReadMayEnd = new CountDownLatch(1);
        CountDownLatch hungReadBegan = new CountDownLatch(1);
        CoalescedReads<String, String> reads = new CoalescedReads<>(
                keys -> {
                    if (keys.contains("hangs")) {
                        hungReadBegan.countDown();
                        await(hungReadMayEnd);
                    }
                    Map<String, String> values = new HashMap<>();
                    keys.forEach(k -> values.put(k, k));
                    return values;
                },
                1,
                Duration.ofMillis(200));
        CompletableFuture<String> hung = CompletableFuture.supplyAsync(() -> reads.get("hangs"), threads);
        await(hungReadBegan);

        assertThat(CompletableFuture.supplyAsync(() -> reads.get("next"), threads)
                        .get(10, TimeUnit.SECONDS))
                .as("read alongside the hung one after 200 ms")
                .isEqualTo("next");
        assertThat(hung).isNotDone();
        hungReadMayEnd.countDown();
        assertThat(hung.get(10, TimeUnit.SECONDS)).isEqualTo("hangs");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
