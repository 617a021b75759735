package dev.ferry.action;

/**
 * What preflight learnt about one step before the window: {@code OK} (checked, fine),
 * {@code WARNING} (may fail, a person should look) or {@code BLOCKING} (will fail: the job cannot
 * start).
 *
 * @param check what was checked ({@code resource-exists}, {@code permission}, {@code drift},
 *     {@code lock}, {@code window}...)
 * @param subject the resource, API or setting checked ({@code ecs:service:prod/backend})
 * @param reason why, in words an operator acts on (AWS's error code and message when AWS said no)
 */
public record PreflightFinding(Severity severity, String check, String subject, String reason) {

    public enum Severity {
        OK,
        WARNING,
        BLOCKING
    }

    public static PreflightFinding ok(String check, String subject, String reason) {
        return new PreflightFinding(Severity.OK, check, subject, reason);
    }

    public static PreflightFinding warning(String check, String subject, String reason) {
        return new PreflightFinding(Severity.WARNING, check, subject, reason);
    }

    public static PreflightFinding blocking(String check, String subject, String reason) {
        return new PreflightFinding(Severity.BLOCKING, check, subject, reason);
    }
}
