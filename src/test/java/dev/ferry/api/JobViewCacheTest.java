package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobViewCacheTest {

    private final AtomicInteger renders = new AtomicInteger();

    private byte[] render(String text) {
        renders.incrementAndGet();
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Text that deflates hardly at all, so each view takes about its length of the budget. */
    private static String noise(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).substring(0, length);
    }

    @Test
    void anUnchangedJobIsRenderedOnceAndAChangedOneAgain() {
        JobViewCache cache = new JobViewCache(1024);
        UUID job = UUID.randomUUID();

        assertThat(cache.get(job, "\"v1.1\"", () -> render("first")))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("first");
        assertThat(cache.get(job, "\"v1.1\"", () -> render("not again")))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("first");
        assertThat(cache.get(job, "\"v1.2\"", () -> render("second")))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("second");
        assertThat(renders).hasValue(2);
    }

    @Test
    void theLeastRecentlyUsedViewsLeaveWhenTheBudgetIsSpent() {
        JobViewCache cache = new JobViewCache(64 * 16);
        UUID kept = UUID.randomUUID();
        String keptView = noise(60);
        cache.get(kept, "e", () -> render(keptView));
        for (int i = 0; i < 40; i++) {
            cache.get(UUID.randomUUID(), "e", () -> render(noise(60)));
            cache.get(kept, "e", () -> render("kept was evicted"));
        }
        assertThat(cache.get(kept, "e", () -> render("kept was evicted")))
                .asString(StandardCharsets.UTF_8)
                .as("a view in use stays")
                .isEqualTo(keptView);
        UUID first = UUID.randomUUID();
        String firstView = noise(60);
        cache.get(first, "e", () -> render(firstView));
        for (int i = 0; i < 40; i++) {
            cache.get(UUID.randomUUID(), "e", () -> render(noise(60)));
        }
        assertThat(cache.used()).isLessThanOrEqualTo(64 * 16);
        int before = renders.get();
        cache.get(first, "e", () -> render(firstView));

        assertThat(renders.get()).as("the view used least recently was evicted").isEqualTo(before + 1);
    }

    @Test
    void aViewLargerThanASixteenthOfTheBudgetIsNeverKept() {
        JobViewCache cache = new JobViewCache(160);
        UUID job = UUID.randomUUID();
        String view = noise(16);
        cache.get(job, "e", () -> render(view));
        cache.get(job, "e", () -> render(view));
        assertThat(renders).hasValue(2);
    }

    @Test
    void viewsAreKeptDeflatedSoABudgetHoldsMoreThanTheirRawBytes() {
        JobViewCache cache = new JobViewCache(16 * 1024);
        List<UUID> jobs =
                IntStream.range(0, 50).mapToObj(i -> UUID.randomUUID()).toList();
        // Like a job view: the same field names and states over and over, ids and times differing.
        Function<UUID, String> view = job -> "{\"id\":\"" + job + "\",\"phases\":["
                + IntStream.range(0, 14)
                        .mapToObj(i -> "{\"step\":\"step-" + i + "\",\"status\":\"SUCCEEDED\","
                                + "\"startedAt\":\"2026-12-06T03:4" + (i % 10) + ":12.345Z\",\"attempt\":1}")
                        .collect(Collectors.joining(","))
                + "]}";
        long raw = 0;
        for (UUID job : jobs) {
            raw += cache.get(job, "e", () -> render(view.apply(job))).length;
        }
        for (UUID job : jobs) {
            assertThat(cache.get(job, "e", () -> render("rendered again")))
                    .asString(StandardCharsets.UTF_8)
                    .isEqualTo(view.apply(job));
        }

        assertThat(raw).as("the views' raw bytes exceed the budget").isGreaterThan(3 * 16 * 1024);
        assertThat(renders).as("every view stayed").hasValue(50);
        assertThat(cache.used()).isLessThanOrEqualTo(16 * 1024);
    }
}
