package dev.ferry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.security.StaticTokens;
import dev.ferry.support.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmarks' callers, as real clients are: static API tokens (as automation uses; cheap to
 * check, so the client's signing does not eat the 2 cores the service runs on), over HTTP.
 */
final class BenchClient {

    private static final String OPERATOR = "bench-operator-token-0123456789abcdef";
    private static final String APPROVER = "bench-approver-token-0123456789abcdef";
    private static final String VIEWER = "bench-viewer-token-0123456789abcdef";
    private static final String SECOND_APPROVER = "bench-approver-2-token-0123456789abcdef";

    final Api operator;
    final Api approver;
    final Api viewer;
    /** A second person with the approver role, for plans that need two (the README's first job). */
    final Api secondApprover;

    BenchClient(URI base) {
        Api api = new Api(base.toString());
        this.operator = api.bearer(OPERATOR);
        this.approver = api.bearer(APPROVER);
        this.viewer = api.bearer(VIEWER);
        this.secondApprover = api.bearer(SECOND_APPROVER);
    }

    /** The service settings that make these tokens valid (after the test tokens' indexes 0-2). */
    static List<String> tokenSettings() {
        return List.of(
                "ferry.security.tokens[3].subject=bench-operator",
                "ferry.security.tokens[3].roles=operator,admin,viewer",
                "ferry.security.tokens[3].sha256=" + StaticTokens.sha256(OPERATOR),
                "ferry.security.tokens[4].subject=bench-approver",
                "ferry.security.tokens[4].roles=approver,viewer",
                "ferry.security.tokens[4].sha256=" + StaticTokens.sha256(APPROVER),
                "ferry.security.tokens[5].subject=bench-viewer",
                "ferry.security.tokens[5].roles=viewer",
                "ferry.security.tokens[5].sha256=" + StaticTokens.sha256(VIEWER),
                "ferry.security.tokens[6].subject=bench-approver-2",
                "ferry.security.tokens[6].roles=approver,viewer",
                "ferry.security.tokens[6].sha256=" + StaticTokens.sha256(SECOND_APPROVER));
    }

    void registerPlan(String resource) {
        try (var in = BenchClient.class.getResourceAsStream("/bench/" + resource)) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            expect(operator.post("/api/v1/plans", "application/yaml", yaml), 200, 201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates {@code count} jobs of {@code plan} with {@code threads} callers; their ids. */
    List<String> createJobs(String plan, String prefix, int count, int threads) {
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        parallel(threads, () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                JsonNode job = expect(
                                operator.post(
                                        "/api/v1/jobs",
                                        Map.of("plan", plan, "name", prefix + "-" + i, "parameters", Map.of())),
                                201)
                        .json();
                ids.add(job.get("id").asText());
            }
        });
        return new ArrayList<>(ids);
    }

    /** Starts every job, {@code threads} at a time. */
    void start(List<String> ids, int threads) {
        AtomicInteger next = new AtomicInteger();
        parallel(threads, () -> {
            for (int i = next.getAndIncrement(); i < ids.size(); i = next.getAndIncrement()) {
                expect(operator.post("/api/v1/jobs/" + ids.get(i) + "/start", Map.of()), 200, 202);
            }
        });
    }

    void approve(String jobId, String phase) {
        expect(
                approver.post(
                        "/api/v1/jobs/" + jobId + "/phases/" + phase.toLowerCase() + "/approve",
                        Map.of("comment", "benchmark")),
                200,
                201);
    }

    static Api.Response expect(Api.Response response, int... statuses) {
        for (int status : statuses) {
            if (response.status() == status) {
                return response;
            }
        }
        throw new IllegalStateException("unexpected " + response);
    }

    /** Runs {@code work} on {@code threads} threads and waits for all; the first failure is rethrown. */
    static void parallel(int threads, Runnable work) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(work));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
