package dev.ferry.rehearsal;

import dev.ferry.plan.MaintenanceWindow;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PhaseSpec;
import dev.ferry.plan.PlanDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Expected phase durations of a plan, from its latest succeeded rehearsal (see the package
 * documentation for why the latest), and the warnings they give about maintenance windows.
 * Reads only; a plan never rehearsed has no expectations and no warnings.
 */
@Service
public class RehearsalDurations {

    private final JdbcTemplate jdbc;

    RehearsalDurations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Per phase that ran in the latest succeeded rehearsal of {@code planName} (any version). */
    public Map<Phase, ExpectedDuration> expected(String planName) {
        Map<Phase, ExpectedDuration> expected = new EnumMap<>(Phase.class);
        jdbc.query(
                """
                SELECT j.id, j.finished_at AS job_finished, pe.phase, pe.started_at, pe.finished_at
                  FROM phase_execution pe JOIN migration_job j ON j.id = pe.job_id
                 WHERE j.id = (SELECT r.id FROM migration_job r JOIN plan p ON p.id = r.plan_id
                                WHERE p.name = ? AND r.rehearsal AND r.state = 'SUCCEEDED'
                                ORDER BY r.finished_at DESC, r.id DESC LIMIT 1)
                   AND pe.status = 'SUCCEEDED' AND pe.started_at IS NOT NULL AND pe.finished_at IS NOT NULL""",
                rs -> {
                    Phase phase = Phase.valueOf(rs.getString("phase"));
                    expected.put(
                            phase,
                            new ExpectedDuration(
                                    phase,
                                    Duration.between(
                                            rs.getTimestamp("started_at").toInstant(),
                                            rs.getTimestamp("finished_at").toInstant()),
                                    rs.getObject("id", UUID.class),
                                    rs.getTimestamp("job_finished").toInstant()));
                },
                planName);
        return Collections.unmodifiableMap(expected);
    }

    /**
     * The phases of {@code plan} that have a maintenance window shorter than their expected
     * duration: such a phase would start inside its window and still be running after it closes.
     */
    public static List<WindowWarning> windowWarnings(PlanDocument plan, Map<Phase, ExpectedDuration> expected) {
        List<WindowWarning> warnings = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            PhaseSpec spec = plan.phase(phase);
            ExpectedDuration measured = expected.get(phase);
            if (spec.window() == null || measured == null) {
                continue;
            }
            Duration window = length(spec.window());
            if (measured.duration().compareTo(window) > 0) {
                warnings.add(new WindowWarning(
                        phase,
                        measured.duration(),
                        window,
                        measured.rehearsalJob(),
                        phase + " took " + measured.duration() + " in rehearsal " + measured.rehearsalJob()
                                + " but its maintenance window is open for " + window
                                + ": it would still run after the window closes"));
            }
        }
        return warnings;
    }

    /** How long the window stays open once opened; one that ends at or before its start crosses midnight. */
    static Duration length(MaintenanceWindow window) {
        Duration open = Duration.between(window.start(), window.end());
        return open.isNegative() || open.isZero() ? open.plusDays(1) : open;
    }
}
