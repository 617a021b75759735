package dev.ferry.execution;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Worker settings ({@code ferry.worker.*}).
 *
 * @param concurrency steps this replica runs at once
 * @param lease how long a claimed step is ours; a replica that dies holding it loses it after this
 * @param fallbackPoll how often to look for work when no notification came (lost NOTIFY, clock skew)
 * @param shutdownGrace on shutdown, how long running steps may take to finish and record their
 *     results; the leases of those still running then are released so another replica takes them
 *     at once (keep it below {@code spring.lifecycle.timeout-per-shutdown-phase})
 * @param chainLimit how many steps of one job a worker runs in a row when each queues the next,
 *     before it returns to the queue (where other jobs' steps wait); 1 turns chains off
 * @param urgentSlots slots beyond {@code concurrency} that only urgent work takes (an approved
 *     phase's first step, a rollback's compensations), so it starts at once even when routine
 *     steps fill every other slot; 0 turns the lane off. Four, not one: approvals come in bursts
 *     (a change window, a campaign's wave), and with one slot an approval that found it busy
 *     waited for a routine slot (the engine benchmark's p99: 90-128 ms against 0 with four). The
 *     lane is idle otherwise, so it costs only idle threads.
 */
@ConfigurationProperties("ferry.worker")
public record WorkerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("8") int concurrency,
        @DefaultValue("PT5M") Duration lease,
        @DefaultValue("PT10S") Duration fallbackPoll,
        @DefaultValue("PT25S") Duration shutdownGrace,
        @DefaultValue("16") int chainLimit,
        @DefaultValue("4") int urgentSlots) {}
