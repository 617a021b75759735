package dev.ferry.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ferry.plan.Phase;
import dev.ferry.plan.PlanPreview;
import dev.ferry.plan.StoredPlan;
import dev.ferry.rehearsal.ExpectedDuration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /plans/{name}/preview}: the plan's preview with, per phase, how long its latest
 * succeeded rehearsal took, and the phases that would not fit inside their maintenance window.
 */
record RehearsedPreview(
        String plan,
        int version,
        String sha256,
        List<RehearsedPhase> phases,
        List<JobView.WindowWarningView> windowWarnings) {

    /** A phase of the preview, as before, with the rehearsal's measurement when there is one. */
    record RehearsedPhase(
            @JsonUnwrapped PlanPreview.PhasePreview preview,
            String expectedDuration,
            JobView.ExpectedFrom expectedFrom) {}

    static RehearsedPreview of(PlanPreview.Preview preview, StoredPlan plan, Map<Phase, ExpectedDuration> expected) {
        List<RehearsedPhase> phases = preview.phases().stream()
                .map(p -> {
                    ExpectedDuration measured = expected.get(p.phase());
                    return measured == null
                            ? new RehearsedPhase(p, null, null)
                            : new RehearsedPhase(
                                    p,
                                    measured.duration().toString(),
                                    new JobView.ExpectedFrom(measured.rehearsalJob(), measured.measuredAt()));
                })
                .toList();
        return new RehearsedPreview(
                preview.plan(), preview.version(), preview.sha256(), phases, JobViews.windowWarnings(plan, expected));
    }
}
