package dev.ferry.preflight;

import dev.ferry.action.PreflightFinding;
import dev.ferry.plan.MaintenanceWindow;
import dev.ferry.plan.NotBefore;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PhaseSpec;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.StepSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether the plan's maintenance windows, {@code notBefore} timers and step estimates can be met.
 * A step starts only when its estimate fits in what is left of the window (as
 * {@code JobProgression} does), so a step whose estimate exceeds the whole window would wait for
 * ever: that blocks. Pure: the time is given.
 */
final class WindowCheck {

    /** How many openings ahead a step's estimate must fit in at least one of. */
    static final int OPENINGS = 8;

    private WindowCheck() {}

    static List<PreflightReport.Finding> check(PlanDocument plan, Instant now) {
        List<PreflightReport.Finding> findings = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            PhaseSpec spec = plan.phase(phase);
            if (spec.isEmpty()) {
                continue;
            }
            for (StepSpec step : spec.steps()) {
                if (step.estimate() != null
                        && step.timeout() != null
                        && step.timeout().compareTo(step.estimate()) < 0) {
                    findings.add(PreflightReport.Finding.of(
                            step.id(),
                            "step",
                            PreflightFinding.warning(
                                    "timeout",
                                    phase.name(),
                                    "the timeout " + step.timeout() + " is shorter than the estimate " + step.estimate()
                                            + ": the step will likely time out")));
                }
            }
            if (spec.window() != null) {
                findings.addAll(window(phase, spec, earliest(plan, phase, now)));
            }
        }
        return findings;
    }

    /** The earliest the phase can start: now, or the notBefore delay after a phase that has not even begun. */
    private static Instant earliest(PlanDocument plan, Phase phase, Instant now) {
        NotBefore notBefore = plan.phase(phase).notBefore();
        return notBefore == null ? now : now.plus(notBefore.delay());
    }

    private static List<PreflightReport.Finding> window(Phase phase, PhaseSpec spec, Instant earliest) {
        MaintenanceWindow window = spec.window();
        String subject = phase.name() + " window";
        Instant opens;
        try {
            opens = window.nextOpening(window.isOpen(earliest) ? window.closing(earliest) : earliest);
        } catch (IllegalStateException never) {
            return List.of(PreflightReport.Finding.job(PreflightFinding.blocking(
                    "window", subject, "the maintenance window " + describe(window) + " never opens")));
        }
        // Openings differ in length where the zone changes its clocks; look at the next few.
        List<Duration> lengths = new ArrayList<>();
        Instant at = opens;
        for (int i = 0; i < OPENINGS; i++) {
            lengths.add(Duration.between(at, window.closing(at)));
            at = window.nextOpening(window.closing(at));
        }
        Duration length = lengths.get(0);
        Duration longest = lengths.stream().max(Duration::compareTo).orElse(length);
        List<PreflightReport.Finding> findings = new ArrayList<>();
        for (StepSpec step : spec.steps()) {
            if (step.estimate() == null) {
                continue;
            }
            if (step.estimate().compareTo(longest) > 0) {
                findings.add(PreflightReport.Finding.of(
                        step.id(),
                        "step",
                        PreflightFinding.blocking(
                                "window",
                                subject,
                                "the estimate " + step.estimate() + " cannot fit in the maintenance window "
                                        + describe(window)
                                        + ", whose next " + OPENINGS + " openings last at most " + longest
                                        + ": the step would wait for an opening for ever")));
            } else if (step.estimate().compareTo(length) > 0) {
                findings.add(PreflightReport.Finding.of(
                        step.id(),
                        "step",
                        PreflightFinding.warning(
                                "window",
                                subject,
                                "the estimate " + step.estimate() + " does not fit in the opening at " + opens
                                        + " (only " + length + "): the step will wait for a later one")));
            }
        }
        Duration total = spec.steps().stream()
                .map(StepSpec::estimate)
                .filter(Objects::nonNull)
                .reduce(Duration.ZERO, Duration::plus);
        if (findings.isEmpty() && total.compareTo(length) > 0) {
            findings.add(PreflightReport.Finding.job(PreflightFinding.warning(
                    "window",
                    subject,
                    "the estimates add up" + " to " + total + ", more than one window of " + length
                            + ": the phase will span several openings")));
        }
        if (findings.isEmpty()) {
            findings.add(PreflightReport.Finding.job(PreflightFinding.ok(
                    "window",
                    subject,
                    "the window "
                            + describe(window) + " lasts " + length + "; " + phase.name()
                            + " can start at the earliest at "
                            + window.nextOpening(earliest)
                            + (spec.notBefore() == null
                                    ? ""
                                    : " (" + spec.notBefore().delay() + " after "
                                            + spec.notBefore().after() + " ends)"))));
        }
        return findings;
    }

    private static String describe(MaintenanceWindow window) {
        return window.days() + " " + window.start() + "-" + window.end() + " " + window.zone();
    }
}
