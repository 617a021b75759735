package dev.ferry.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.action.PreflightFinding;
import dev.ferry.plan.MaintenanceWindow;
import dev.ferry.plan.NotBefore;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PhaseSpec;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.RetryPolicy;
import dev.ferry.plan.StepSpec;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Windows, timers and estimates. Plan registration already refuses an estimate longer than the
 * window's nominal length; preflight looks at the real openings ahead, which is where clocks that
 * change (daylight saving) and plans stored before that rule exist can still make a step unable to
 * start.
 */
class WindowCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-24T01:00:00Z");

    @Test
    void anEstimateLongerThanEveryOpeningBlocksTheStep() {
        PlanDocument plan = plan(
                new MaintenanceWindow(Set.of(), LocalTime.of(3, 0), LocalTime.of(3, 30), ZoneId.of("UTC")),
                null,
                step("switch", Duration.ofHours(2), null));

        List<PreflightReport.Finding> findings = WindowCheck.check(plan, NOW);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.step()).isEqualTo("switch");
            assertThat(f.severity()).isEqualTo(PreflightFinding.Severity.BLOCKING);
            assertThat(f.check()).isEqualTo("window");
            assertThat(f.reason()).contains("PT2H cannot fit").contains("at most PT30M");
        });
    }

    @Test
    void anOpeningShortenedByTheClockChangeOnlyWarns() {
        // Sunday 8 March 2026, 02:00 New York does not exist: that opening lasts 30 minutes, not an hour.
        PlanDocument plan = plan(
                new MaintenanceWindow(
                        Set.of(DayOfWeek.SUNDAY),
                        LocalTime.of(2, 0),
                        LocalTime.of(3, 30),
                        ZoneId.of("America/New_York")),
                null,
                step("switch", Duration.ofMinutes(45), null));

        List<PreflightReport.Finding> findings = WindowCheck.check(plan, Instant.parse("2026-03-07T12:00:00Z"));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(PreflightFinding.Severity.WARNING);
            assertThat(f.reason()).contains("does not fit in the opening at 2026-03-08T07:00:00Z");
        });
    }

    @Test
    void aFittingWindowSaysWhenThePhaseCanStartAfterItsTimer() {
        PlanDocument plan = plan(
                new MaintenanceWindow(Set.of(), LocalTime.of(3, 0), LocalTime.of(4, 0), ZoneId.of("UTC")),
                new NotBefore(Phase.OBSERVE, Duration.ofDays(7)),
                step("drop", Duration.ofMinutes(20), null));

        List<PreflightReport.Finding> findings = WindowCheck.check(plan, NOW);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(PreflightFinding.Severity.OK);
            assertThat(f.reason())
                    .contains("at the earliest at 2026-12-01T03:00:00Z")
                    .contains("PT168H after OBSERVE");
        });
    }

    @Test
    void aTimeoutShorterThanTheEstimateWarns() {
        PlanDocument plan = plan(null, null, step("copy", Duration.ofHours(1), Duration.ofMinutes(10)));

        assertThat(WindowCheck.check(plan, NOW)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(PreflightFinding.Severity.WARNING);
            assertThat(f.check()).isEqualTo("timeout");
        });
    }

    private static StepSpec step(String id, Duration estimate, Duration timeout) {
        return new StepSpec(
                id,
                "noop",
                JsonNodeFactory.instance.objectNode(),
                null,
                timeout,
                estimate,
                RetryPolicy.DEFAULT,
                false,
                null,
                false);
    }

    private static PlanDocument plan(MaintenanceWindow window, NotBefore notBefore, StepSpec step) {
        Phase phase = notBefore == null ? Phase.CUTOVER : Phase.CLEANUP;
        return new PlanDocument(
                "p", null, List.of(), Map.of(phase, new PhaseSpec(List.of(step), null, notBefore, window, null)));
    }
}
