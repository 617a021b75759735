package dev.ferry.soak;

import static org.awaitility.Awaitility.await;

import dev.ferry.support.Api;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Three replicas of the packaged service on one database. One may be down for a moment (killed and
 * being restarted); requests go to whichever replicas are up, and move on when one dies under them.
 */
final class Replicas implements AutoCloseable {

    /** How long a request may keep failing over before the soak gives up on it. */
    private static final Duration REQUEST_PATIENCE = Duration.ofMinutes(3);

    private final AtomicReferenceArray<ServiceProcess> replicas;
    private final AtomicIntegerArray kills;
    private final List<Duration> restarts = Collections.synchronizedList(new ArrayList<>());

    private Replicas(List<ServiceProcess> started) {
        this.replicas = new AtomicReferenceArray<>(started.toArray(ServiceProcess[]::new));
        this.kills = new AtomicIntegerArray(started.size());
    }

    /** The first replica migrates the schema; the other two then start against it together. */
    static Replicas start(TestDatabase.Coordinates database, String... settings) {
        List<ServiceProcess> started = new ArrayList<>();
        started.add(ServiceProcess.Spec.of("soak-a", database, settings).start());
        List<CompletableFuture<ServiceProcess>> others = List.of(
                CompletableFuture.supplyAsync(() ->
                        ServiceProcess.Spec.of("soak-b", database, settings).start()),
                CompletableFuture.supplyAsync(() ->
                        ServiceProcess.Spec.of("soak-c", database, settings).start()));
        others.forEach(other -> started.add(other.join()));
        return new Replicas(started);
    }

    int size() {
        return replicas.length();
    }

    ServiceProcess get(int index) {
        return replicas.get(index);
    }

    /** SIGKILL, then the same replica again at once (a new process on a new port). */
    void killAndRestart(int index) {
        ServiceProcess victim = replicas.get(index);
        victim.kill();
        kills.incrementAndGet(index);
        ServiceProcess restarted = victim.restart();
        restarts.add(restarted.startedIn());
        replicas.set(index, restarted);
    }

    /** Kills per replica, in replica order. */
    List<Integer> kills() {
        List<Integer> perReplica = new ArrayList<>();
        for (int i = 0; i < kills.length(); i++) {
            perReplica.add(kills.get(i));
        }
        return perReplica;
    }

    List<Duration> restarts() {
        synchronized (restarts) {
            return List.copyOf(restarts);
        }
    }

    /**
     * Sends {@code request} to a replica that is up, and to another when the connection breaks or
     * the answer is a 5xx: a request lost in a kill may have taken effect, so only requests that are
     * safe to repeat belong here (idempotency keys, approvals, rollbacks, reads).
     */
    Api.Response send(Function<ServiceProcess, Api.Response> request) {
        AtomicReference<Api.Response> answer = new AtomicReference<>();
        await().atMost(REQUEST_PATIENCE)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    Api.Response response = request.apply(anyUp());
                    answer.set(response);
                    return response.status() < 500;
                });
        return answer.get();
    }

    private ServiceProcess anyUp() {
        List<ServiceProcess> up = new ArrayList<>();
        for (int i = 0; i < replicas.length(); i++) {
            if (replicas.get(i).isAlive()) {
                up.add(replicas.get(i));
            }
        }
        if (up.isEmpty()) {
            throw new IllegalStateException("no replica is up");
        }
        return up.get(ThreadLocalRandom.current().nextInt(up.size()));
    }

    @Override
    public void close() {
        for (int i = 0; i < replicas.length(); i++) {
            replicas.get(i).close();
        }
    }
}
