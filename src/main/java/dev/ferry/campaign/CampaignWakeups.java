package dev.ferry.campaign;

import dev.ferry.audit.JobEventDraft;
import dev.ferry.job.JobEventListener;
import dev.ferry.job.MigrationJob;
import dev.ferry.lifecycle.JobState;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Wakes every replica's campaign driver when a job ends or pauses, which is when a wave can move
 * on or reach its failure threshold. The NOTIFY is sent in the job's transaction, so it arrives
 * after the commit, once per transaction (PostgreSQL folds identical notifications). Jobs of no
 * campaign cause a wake-up that finds nothing; cheaper than asking each time.
 */
@Component
class CampaignWakeups implements JobEventListener {

    static final String CHANNEL = "ferry_campaigns";

    private final JdbcTemplate jdbc;

    CampaignWakeups(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void recorded(MigrationJob job, long seq, Instant at, JobEventDraft draft) {
        JobState state = job.state();
        if (state.isTerminal() || state == JobState.PAUSED) {
            jdbc.execute("NOTIFY " + CHANNEL);
        }
    }
}
