package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.Api;
import dev.ferry.support.Jobs;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one database: dashboards revalidate a job on replica A, many at once (so that
 * their reads are shared, and often one is running while the next batch fills), while an operator
 * changes the job through replica B. Once B has answered a change, no conditional GET sent to A
 * afterwards is answered {@code 304} for the view the change replaced: the next one is a
 * {@code 200} with the new view and a new ETag, immediately, with no waiting for anything to reach A.
 */
class CrossReplicaPollingIT {

    private static final String PLAN =
            """
            name: cross-replica-polling
            phases:
              prepare:
                steps:
                  - {id: one, action: noop}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
              cleanup:
                steps:
                  - {id: tidy, action: noop}
            """;

    private static final int CHANGES = 40;
    private static final int POLLERS = 12;

    @Test
    void aConditionalGetOnOneReplicaNeverAnswers304ForAViewAChangeOnTheOtherReplicaReplaced() throws Exception {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        try (ServiceProcess a = ServiceProcess.Spec.of("poll-a", database).start();
                ServiceProcess b = ServiceProcess.Spec.of("poll-b", database).start()) {
            Api operatorOnA = a.api().as("olivia", "operator", "viewer");
            Api adminOnA = a.api().as("platform", "admin");
            assertThat(adminOnA.post("/api/v1/plans", "application/yaml", PLAN).status())
                    .isIn(200, 201);
            UUID job = Jobs.start(operatorOnA, "olivia", "cross-replica-polling", Map.of());
            Jobs.awaitState(operatorOnA, job, "AWAITING_APPROVAL");
            String path = "/api/v1/jobs/" + job;
            Api viewerOnA = Api.viewer(a.baseUri().toString());
            Api viewerOnB = Api.viewer(b.baseUri().toString());
            Api operatorOnB = b.api().as("olivia", "operator");

            // ETags that a change answered by B has replaced: a 304 for one of them, to a request
            // sent after it was put here, would show a view older than a write its sender saw end.
            Set<String> replaced = ConcurrentHashMap.newKeySet();
            List<String> stale = new CopyOnWriteArrayList<>();
            AtomicLong notModified = new AtomicLong();
            AtomicLong changed = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            List<CompletableFuture<Void>> pollers = new ArrayList<>();
            for (int p = 0; p < POLLERS; p++) {
                pollers.add(CompletableFuture.runAsync(() -> {
                    String etag = viewerOnA.get(path).header("ETag");
                    while (!done.get()) {
                        boolean wasReplaced = replaced.contains(etag);
                        HttpRequest.Builder request = viewerOnA
                                .request(path)
                                .header("If-None-Match", etag)
                                .GET();
                        Api.Response response = viewerOnA.send(request);
                        if (response.status() == 304) {
                            notModified.incrementAndGet();
                            if (wasReplaced) {
                                stale.add("304 for " + etag + " after a change replaced it");
                            }
                        } else if (response.status() == 200) {
                            changed.incrementAndGet();
                            etag = response.header("ETag");
                        } else {
                            stale.add("unexpected " + response.status());
                        }
                    }
                }));
            }

            String current = viewerOnB.get(path).header("ETag");
            Instant notBefore = Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            for (int i = 1; i <= CHANGES; i++) {
                Instant at = notBefore.plusSeconds(i);
                Api.Response moved = operatorOnB.post(
                        path + "/phases/cleanup/not-before", Map.of("at", at.toString(), "reason", "change " + i));
                assertThat(moved.status()).isEqualTo(200);
                replaced.add(current);

                Api.Response onA = viewerOnA.header("If-None-Match", current).get(path);
                assertThat(onA.status())
                        .as("the first conditional GET on A after B answered change %d", i)
                        .isEqualTo(200);
                assertThat(Jobs.phase(onA.json(), "CLEANUP")
                                .get("earliestStart")
                                .asText())
                        .isEqualTo(at.toString());
                assertThat(onA.header("ETag")).isNotEqualTo(current);
                current = onA.header("ETag");
                assertThat(viewerOnB.header("If-None-Match", current).get(path).status())
                        .as("both replicas agree on the new view's ETag")
                        .isEqualTo(304);
            }
            done.set(true);
            CompletableFuture.allOf(pollers.toArray(CompletableFuture[]::new)).join();

            assertThat(stale).isEmpty();
            assertThat(notModified.get()).as("polls answered 304").isPositive();
            assertThat(changed.get()).as("polls that saw a change").isPositive();
            System.out.printf(
                    "cross-replica polling: %d changes on B; pollers on A got %d 304s and %d 200s%n",
                    CHANGES, notModified.get(), changed.get());
        }
    }
}
