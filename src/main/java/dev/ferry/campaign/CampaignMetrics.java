package dev.ferry.campaign;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Campaign events as {@code ferry.campaigns.*} meters, counted only once their transaction commits. */
@Component
class CampaignMetrics {

    private final MeterRegistry meters;

    CampaignMetrics(MeterRegistry meters) {
        this.meters = meters;
        // Present from the start, so dashboards see 0 rather than no data.
        created();
        jobsLaunched();
        wavesStarted();
        halts();
        for (String outcome : new String[] {"succeeded", "cancelled", "rolled-back"}) {
            finished(outcome);
        }
    }

    void campaignCreated() {
        afterCommit(() -> created().increment());
    }

    void jobLaunched() {
        afterCommit(() -> jobsLaunched().increment());
    }

    void waveStarted() {
        afterCommit(() -> wavesStarted().increment());
    }

    void halted() {
        afterCommit(() -> halts().increment());
    }

    void campaignFinished(String outcome) {
        afterCommit(() -> finished(outcome).increment());
    }

    private Counter created() {
        return Counter.builder("ferry.campaigns.created")
                .description("Campaigns created")
                .register(meters);
    }

    private Counter jobsLaunched() {
        return Counter.builder("ferry.campaigns.jobs.launched")
                .description("Jobs a campaign created and started")
                .register(meters);
    }

    private Counter wavesStarted() {
        return Counter.builder("ferry.campaigns.waves.started")
                .description("Waves begun")
                .register(meters);
    }

    private Counter halts() {
        return Counter.builder("ferry.campaigns.halts")
                .description("Waves stopped by their failure threshold")
                .register(meters);
    }

    private Counter finished(String outcome) {
        return Counter.builder("ferry.campaigns.finished")
                .description("Campaigns that ended")
                .tag("outcome", outcome)
                .register(meters);
    }

    private static void afterCommit(Runnable meter) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    meter.run();
                }
            });
        } else {
            meter.run();
        }
    }
}
