package dev.ferry.soak;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The one block a soak prints: what ran, what was done to it, and what was checked. */
record SoakSummary(
        long seed,
        int jobs,
        Map<String, Integer> byState,
        List<Integer> killsPerReplica,
        List<Duration> restarts,
        int leasedAtKills,
        int approvals,
        int creatorRefusals,
        int rollbacks,
        int sideEffects,
        int events,
        int leasesLeft,
        Duration duration) {

    void print() {
        List<Duration> sorted = restarts.stream().sorted().toList();
        Duration median = sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() / 2);
        Duration slowest = sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() - 1);
        int kills = killsPerReplica.stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
                """
                [soak] ---------------------------------------------------------------
                [soak] jobs                 %d, by final state %s (each as scripted)
                [soak] SIGKILLs             %d, per replica (a, b, c) %s; steps leased at the kills %d
                [soak] restarts             %d, ready in median %.1f s, slowest %.1f s
                [soak] operators            %d approvals, %d creator approvals refused (four eyes), %d rollbacks
                [soak] side effects         %d read back from the emulator, each exactly once (or undone)
                [soak] audit                %d events, timelines gapless, hash chains valid
                [soak] leases left          %d; orphaned running steps 0
                [soak] duration             %d s; seed %d (-Dsoak.seed=%d replays the choices)
                [soak] ---------------------------------------------------------------
                """,
                jobs,
                byState,
                kills,
                killsPerReplica,
                leasedAtKills,
                restarts.size(),
                median.toMillis() / 1000.0,
                slowest.toMillis() / 1000.0,
                approvals,
                creatorRefusals,
                rollbacks,
                sideEffects,
                events,
                leasesLeft,
                duration.toSeconds(),
                seed,
                seed);
    }
}
