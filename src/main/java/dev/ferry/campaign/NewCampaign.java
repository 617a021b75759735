package dev.ferry.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a caller asks for when creating a campaign. Targets come inline ({@code targets}), as CSV
 * ({@code targetsCsv}: a header row with {@code name}, {@code label.<key>} columns and parameter
 * columns), or both. A wave names its targets or selects them by labels; a target belongs to the
 * first wave that names or selects it.
 *
 * @param planVersion null for the latest version
 */
public record NewCampaign(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Size(max = 100) String plan,
        @Min(1) Integer planVersion,
        @Valid @Size(max = 1000) List<TargetRequest> targets,
        @Size(max = 200_000) String targetsCsv,
        @NotEmpty @Valid @Size(max = 50) List<WaveRequest> waves,
        @Valid FailurePolicyRequest failurePolicy) {

    public record TargetRequest(
            @NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:/-]*") String name,
            @Size(max = 20) Map<@Size(max = 100) String, @Size(max = 200) String> labels,
            JsonNode parameters) {}

    /**
     * @param targets target names, in order; or
     * @param selector labels a target must all have (e.g. {@code {"region": "eu-west-1"}})
     * @param maxConcurrent how many of the wave's jobs may run at once (default 1)
     * @param soak how long to wait after the wave's last job before the next wave may start
     */
    public record WaveRequest(
            @Size(max = 100) String name,
            @Size(max = 1000) List<@NotBlank @Size(max = 100) String> targets,
            @Size(max = 20) Map<@Size(max = 100) String, @Size(max = 200) String> selector,
            @Min(1) @Max(100) Integer maxConcurrent,
            @Valid ApprovalRequest approval,
            Duration soak) {}

    public record ApprovalRequest(
            @Min(1) @Max(10) Integer required,
            @Size(max = 10) List<@NotBlank @Size(max = 50) String> roles,
            Boolean separationOfDuties,
            Duration expiresAfter) {}

    public record FailurePolicyRequest(
            @Min(1) Integer maxFailures, @Min(1) @Max(100) Integer maxFailurePercent, Boolean rollbackWave) {}
}
