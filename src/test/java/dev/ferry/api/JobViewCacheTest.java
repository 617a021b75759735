package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobViewCacheTest {

    private final AtomicInteger renders = new AtomicInteger();

    private byte[] render(String text) {
        renders.incrementAndGet();
        return text.getBytes(StandardCharsets.UTF_8);
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
        cache.get(kept, "e", () -> render("x".repeat(60)));
        for (int i = 0; i < 20; i++) {
            cache.get(UUID.randomUUID(), "e", () -> render("y".repeat(60)));
            cache.get(kept, "e", () -> render("kept was evicted"));
        }
        assertThat(cache.get(kept, "e", () -> render("kept was evicted")))
                .asString(StandardCharsets.UTF_8)
                .as("a view in use stays")
                .isEqualTo("x".repeat(60));
        UUID first = UUID.randomUUID();
        cache.get(first, "e", () -> render("z".repeat(60)));
        for (int i = 0; i < 20; i++) {
            cache.get(UUID.randomUUID(), "e", () -> render("y".repeat(60)));
        }
        int before = renders.get();
        cache.get(first, "e", () -> render("z".repeat(60)));

        assertThat(renders.get()).as("the view used least recently was evicted").isEqualTo(before + 1);
    }

    @Test
    void aViewLargerThanASixteenthOfTheBudgetIsNeverKept() {
        JobViewCache cache = new JobViewCache(160);
        UUID job = UUID.randomUUID();
        cache.get(job, "e", () -> render("b".repeat(11)));
        cache.get(job, "e", () -> render("b".repeat(11)));
        assertThat(renders).hasValue(2);
    }
}
