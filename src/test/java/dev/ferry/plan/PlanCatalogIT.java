package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The catalog's contract on the real database: versions, lookups, and concurrent registrations. */
class PlanCatalogIT extends FerryIT {

    private static final int THREADS = 8;

    private static final String PLAN =
            """
            name: %s
            description: catalog probe %d
            phases:
              prepare:
                steps:
                  - {id: one, action: noop}
            """;

    @Autowired
    private PlanCatalog catalog;

    @Test
    void registeredPlansAreFoundByNameVersionAndId() {
        String name = Jobs.uniquePlanName("catalog");
        RegisteredPlan first = catalog.register(PLAN.formatted(name, 1), SourceType.YAML, "tester", false);
        RegisteredPlan second = catalog.register(PLAN.formatted(name, 2), SourceType.YAML, "tester", false);
        RegisteredPlan again = catalog.register(PLAN.formatted(name, 1), SourceType.YAML, "someone-else", false);

        assertThat(first.created()).isTrue();
        assertThat(first.plan().version()).isEqualTo(1);
        assertThat(first.plan().createdBy()).isEqualTo("tester");
        assertThat(second.plan().version()).isEqualTo(2);
        assertThat(again.created()).isFalse();
        assertThat(again.plan()).isEqualTo(first.plan());

        assertThat(catalog.find(name, null)).contains(second.plan());
        assertThat(catalog.find(name, 1)).contains(first.plan());
        assertThat(catalog.find(name, 3)).isEmpty();
        assertThat(catalog.find("no-such-" + name, null)).isEmpty();
        assertThat(catalog.findById(first.plan().id())).contains(first.plan());
        assertThat(catalog.versions(name)).extracting(StoredPlan::version).containsExactly(2, 1);
        assertThat(catalog.listLatest())
                .filteredOn(p -> p.name().equals(name))
                .extracting(StoredPlan::version)
                .containsExactly(2);
        assertThat(first.plan().document().phase(Phase.PREPARE).steps())
                .extracting(StepSpec::id)
                .containsExactly("one");
    }

    @Test
    void theSameDocumentRegisteredConcurrentlyMakesOneVersion() throws Exception {
        String name = Jobs.uniquePlanName("catalog-same");
        List<RegisteredPlan> results = concurrently(i -> PLAN.formatted(name, 0));

        assertThat(results).filteredOn(RegisteredPlan::created).hasSize(1);
        assertThat(results)
                .extracting(r -> r.plan().id())
                .containsOnly(results.get(0).plan().id());
        assertThat(catalog.versions(name)).extracting(StoredPlan::version).containsExactly(1);
    }

    @Test
    void differentDocumentsRegisteredConcurrentlyGetVersionsWithoutGaps() throws Exception {
        String name = Jobs.uniquePlanName("catalog-many");
        List<RegisteredPlan> results = concurrently(i -> PLAN.formatted(name, i));

        assertThat(results).allMatch(RegisteredPlan::created);
        assertThat(results)
                .extracting(r -> r.plan().version())
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, THREADS).boxed().toList());
        assertThat(catalog.versions(name)).extracting(StoredPlan::version).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
    }

    /** Registers document(i) from {@link #THREADS} threads released together; any failure fails the test. */
    private List<RegisteredPlan> concurrently(IntFunction<String> document) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RegisteredPlan>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                String source = document.apply(i + 1);
                Callable<RegisteredPlan> register = () -> {
                    ready.countDown();
                    go.await();
                    return catalog.register(source, SourceType.YAML, "tester", false);
                };
                futures.add(pool.submit(register));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<RegisteredPlan> results = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (Future<RegisteredPlan> future : futures) {
                try {
                    results.add(future.get(30, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    failures.add(e.getCause().getClass().getSimpleName() + ": "
                            + e.getCause().getMessage());
                }
            }
            assertThat(failures)
                    .as("%d of %d registrations failed", failures.size(), THREADS)
                    .isEmpty();
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
