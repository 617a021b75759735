package dev.ferry.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.notify.TargetSpec;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request bodies of the job endpoints. Unknown fields are refused (see application.yml). */
final class JobRequests {

    private JobRequests() {}

    /**
     * {@code POST /jobs}; {@code notifications} are this job's own targets besides the global ones;
     * {@code rehearsal} runs the plan against staging to measure its phases (see {@code dev.ferry.rehearsal}).
     */
    record Create(
            @NotBlank @Size(max = 100) String plan,
            @Min(1) Integer planVersion,
            @NotBlank @Size(max = 200) String name,
            JsonNode parameters,
            List<TargetSpec> notifications,
            Boolean rehearsal) {}

    /** {@code POST /jobs/{id}/pause|resume|retry|cancel}: the body is optional. */
    record Command(@Size(max = 2000) String reason) {}

    /**
     * {@code POST /jobs/{id}/start}: the body is optional. Preflight runs first unless
     * {@code skipPreflight}, which needs a reason (it goes into the timeline).
     */
    record Start(@Size(max = 2000) String reason, Boolean skipPreflight) {

        boolean skip() {
            return Boolean.TRUE.equals(skipPreflight);
        }

        @jakarta.validation.constraints.AssertTrue(message = "a reason is required to skip preflight")
        boolean isReasonGivenWhenSkipping() {
            return !skip() || reason != null && !reason.isBlank();
        }
    }

    /** {@code POST /jobs/{id}/phases/{phase}/approve}. */
    record Decision(@Size(max = 2000) String comment) {}

    /** {@code POST /jobs/{id}/phases/{phase}/reject}: why is mandatory. */
    record Rejection(@NotBlank @Size(max = 2000) String comment) {}

    /** {@code POST /jobs/{id}/phases/{phase}/not-before}: the new earliest start, and why. */
    record Reschedule(@jakarta.validation.constraints.NotNull Instant at, @NotBlank @Size(max = 2000) String reason) {}

    /** {@code POST /jobs/{id}/steps/{stepId}/compensation/done}: who undid it comes from the caller, why from here. */
    record ManualCompensation(@NotBlank @Size(max = 2000) String reason) {}

    /** {@code POST /jobs/{id}/steps/{stepId}/skip}: why is mandatory. */
    record Skip(@NotBlank @Size(max = 2000) String reason) {}

    /** {@code POST /jobs/{id}/steps/{stepId}/complete|decline}: what the person did or why not, with evidence. */
    record ManualDecision(@Size(max = 10000) String note, @jakarta.validation.Valid Evidence evidence) {}

    record Evidence(@Size(max = 2000) String url, @Size(max = 500) String attachment) {}
}
