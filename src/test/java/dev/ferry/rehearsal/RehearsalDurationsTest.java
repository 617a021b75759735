package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.plan.MaintenanceWindow;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.SourceType;
import dev.ferry.plan.TestActions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RehearsalDurationsTest {

    private static final UUID REHEARSAL = UUID.randomUUID();

    @Test
    void aWindowThatEndsBeforeItStartsCrossesMidnight() {
        assertThat(RehearsalDurations.length(window("23:00", "01:30"))).isEqualTo(Duration.ofMinutes(150));
        assertThat(RehearsalDurations.length(window("03:00", "04:00"))).isEqualTo(Duration.ofHours(1));
        assertThat(RehearsalDurations.length(window("02:00", "02:00"))).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void warnsOnlyForAPhaseWithAWindowShorterThanItsRehearsal() {
        PlanDocument plan = TestActions.parser()
                .parse(
                        """
                name: windows
                phases:
                  freeze:
                    window: {start: "03:00", end: "04:00", zone: America/Caracas}
                    steps: [{id: stop, action: noop}]
                  cutover:
                    window: {start: "03:00", end: "04:00", zone: America/Caracas}
                    steps: [{id: switch, action: noop}]
                  observe:
                    steps: [{id: watch, action: noop}]
                """,
                        SourceType.YAML);
        Map<Phase, ExpectedDuration> expected = Map.of(
                Phase.FREEZE, measured(Phase.FREEZE, Duration.ofMinutes(60)),
                Phase.CUTOVER, measured(Phase.CUTOVER, Duration.ofMinutes(61)),
                Phase.OBSERVE, measured(Phase.OBSERVE, Duration.ofHours(5)));
        assertThat(RehearsalDurations.windowWarnings(plan, expected))
                .singleElement()
                .satisfies(w -> {
                    assertThat(w.phase()).isEqualTo(Phase.CUTOVER);
                    assertThat(w.windowLength()).isEqualTo(Duration.ofHours(1));
                    assertThat(w.rehearsalJob()).isEqualTo(REHEARSAL);
                    assertThat(w.message()).contains("PT1H1M", "PT1H", REHEARSAL.toString());
                });
        assertThat(RehearsalDurations.windowWarnings(plan, Map.of()))
                .as("never rehearsed")
                .isEmpty();
    }

    private static ExpectedDuration measured(Phase phase, Duration duration) {
        return new ExpectedDuration(phase, duration, REHEARSAL, Instant.parse("2026-11-20T10:00:00Z"));
    }

    private static MaintenanceWindow window(String start, String end) {
        return new MaintenanceWindow(Set.of(), LocalTime.parse(start), LocalTime.parse(end), ZoneId.of("UTC"));
    }
}
