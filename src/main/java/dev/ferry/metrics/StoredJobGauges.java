package dev.ferry.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges of what the database holds, shared by every replica: {@code ferry.jobs} by state and plan,
 * and {@code ferry.steps.ready}, the steps due and waiting for a worker. Read on a slow timer (two
 * cheap queries) rather than on every scrape, so many scrapers cost the database nothing more.
 */
@Component
class StoredJobGauges {

    private static final Logger log = LoggerFactory.getLogger(StoredJobGauges.class);

    private final JdbcTemplate jdbc;
    private final MultiGauge jobs;
    private final AtomicLong ready = new AtomicLong();

    StoredJobGauges(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.jobs = MultiGauge.builder("ferry.jobs")
                .description("Jobs stored, by state and plan")
                .register(meters);
        meters.gauge("ferry.steps.ready", Tags.empty(), ready);
    }

    @Scheduled(fixedDelayString = "${ferry.metrics.refresh:PT15S}", initialDelayString = "PT1S")
    void refresh() {
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            jdbc.query(
                    "SELECT j.state, p.name, count(*) AS jobs FROM migration_job j JOIN plan p ON p.id = j.plan_id"
                            + " GROUP BY j.state, p.name",
                    rs -> {
                        rows.add(MultiGauge.Row.of(
                                Tags.of("state", rs.getString(1), "plan", rs.getString(2)), rs.getLong(3)));
                    });
            jobs.register(rows, true);
            ready.set(jdbc.queryForObject(
                    "SELECT count(*) FROM step_execution WHERE next_run_at <= now()" + " AND lease_owner IS NULL",
                    Long.class));
        } catch (DataAccessException e) {
            log.debug("Job gauges not refreshed: {}", e.getMessage());
        }
    }
}
