package dev.ferry.preflight;

import dev.ferry.action.PreflightFinding;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One preflight run of a job: every finding, each tied to a step (or, when {@code step} is null,
 * to the job as a whole). {@code blocking} when any finding is: such a job cannot start.
 */
public record PreflightReport(
        UUID id, UUID jobId, Instant at, String actor, boolean blocking, Counts counts, List<Finding> findings) {

    public PreflightReport {
        findings = List.copyOf(findings);
    }

    static PreflightReport of(UUID jobId, Instant at, String actor, List<Finding> findings) {
        boolean blocking = findings.stream().anyMatch(f -> f.severity() == PreflightFinding.Severity.BLOCKING);
        return new PreflightReport(UUID.randomUUID(), jobId, at, actor, blocking, Counts.of(findings), findings);
    }

    public List<Finding> blockingFindings() {
        return findings.stream()
                .filter(f -> f.severity() == PreflightFinding.Severity.BLOCKING)
                .toList();
    }

    /**
     * @param step the step's id, null for the job
     * @param part {@code step} or {@code compensation} (what of the step was checked), null for the job
     */
    public record Finding(
            String step, String part, PreflightFinding.Severity severity, String check, String subject, String reason) {

        static Finding of(String step, String part, PreflightFinding finding) {
            return new Finding(step, part, finding.severity(), finding.check(), finding.subject(), finding.reason());
        }

        static Finding job(PreflightFinding finding) {
            return of(null, null, finding);
        }
    }

    public record Counts(int ok, int warning, int blocking) {

        static Counts of(List<Finding> findings) {
            return new Counts(
                    count(findings, PreflightFinding.Severity.OK),
                    count(findings, PreflightFinding.Severity.WARNING),
                    count(findings, PreflightFinding.Severity.BLOCKING));
        }

        private static int count(List<Finding> findings, PreflightFinding.Severity severity) {
            return (int) findings.stream().filter(f -> f.severity() == severity).count();
        }
    }
}
