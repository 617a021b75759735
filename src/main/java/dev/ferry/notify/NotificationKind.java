package dev.ferry.notify;

import dev.ferry.audit.JobEventDraft;
import java.util.Arrays;
import java.util.Optional;

/** What a notification is about; {@link #code} is the CloudEvent type suffix and the filter name. */
public enum NotificationKind {
    APPROVAL_REQUESTED("approval.requested"),
    JOB_PAUSED("job.paused"),
    ROLLBACK_STARTED("rollback.started"),
    ROLLBACK_FINISHED("rollback.finished"),
    JOB_FINISHED("job.finished"),
    GATE_BREACHED("gate.breached");

    static final String GATE_BREACH_CODE = "GATE_BREACHED";

    private final String code;

    NotificationKind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The CloudEvent {@code type}. */
    public String eventType() {
        return "dev.ferry." + code;
    }

    public static Optional<NotificationKind> ofCode(String code) {
        return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
    }

    /**
     * The kind a timeline event notifies as, if any. Notification events themselves map to none,
     * so a delivery never notifies about itself.
     */
    public static Optional<NotificationKind> of(JobEventDraft event) {
        return Optional.ofNullable(
                switch (event.type()) {
                    case PHASE_AWAITING_APPROVAL -> APPROVAL_REQUESTED;
                    case JOB_PAUSED -> JOB_PAUSED;
                    case ROLLBACK_REQUESTED -> ROLLBACK_STARTED;
                    case JOB_ROLLED_BACK -> ROLLBACK_FINISHED;
                    case JOB_SUCCEEDED, JOB_FAILED, JOB_CANCELLED -> JOB_FINISHED;
                    case STEP_FAILED -> event.detail() != null
                                    && GATE_BREACH_CODE.equals(
                                            event.detail().path("code").asText())
                            ? GATE_BREACHED
                            : null;
                    default -> null;
                });
    }
}
