package dev.ferry.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.audit.JobEventDraft;
import dev.ferry.audit.JobEventType;
import org.junit.jupiter.api.Test;

class NotificationKindTest {

    @Test
    void mapsTheEventsPeopleMustKnowAbout() {
        assertThat(kind(JobEventType.PHASE_AWAITING_APPROVAL)).isEqualTo("approval.requested");
        assertThat(kind(JobEventType.JOB_PAUSED)).isEqualTo("job.paused");
        assertThat(kind(JobEventType.ROLLBACK_REQUESTED)).isEqualTo("rollback.started");
        assertThat(kind(JobEventType.JOB_ROLLED_BACK)).isEqualTo("rollback.finished");
        assertThat(kind(JobEventType.JOB_SUCCEEDED)).isEqualTo("job.finished");
        assertThat(kind(JobEventType.JOB_FAILED)).isEqualTo("job.finished");
        assertThat(kind(JobEventType.JOB_CANCELLED)).isEqualTo("job.finished");
    }

    @Test
    void aGateBreachIsAFailedStepWithItsCodeOtherFailuresAreNot() {
        JobEventDraft breach = JobEventDraft.of(JobEventType.STEP_FAILED, "system")
                .detail(JsonNodeFactory.instance.objectNode().put("code", "GATE_BREACHED"));
        JobEventDraft other = JobEventDraft.of(JobEventType.STEP_FAILED, "system")
                .detail(JsonNodeFactory.instance.objectNode().put("code", "AccessDenied"));
        assertThat(NotificationKind.of(breach)).contains(NotificationKind.GATE_BREACHED);
        assertThat(NotificationKind.of(other)).isEmpty();
    }

    @Test
    void notificationEventsNeverNotify() {
        assertThat(NotificationKind.of(JobEventDraft.of(JobEventType.NOTIFICATION_SENT, "system")))
                .isEmpty();
        assertThat(NotificationKind.of(JobEventDraft.of(JobEventType.NOTIFICATION_ATTEMPT_FAILED, "system")))
                .isEmpty();
        assertThat(NotificationKind.of(JobEventDraft.of(JobEventType.NOTIFICATION_FAILED, "system")))
                .isEmpty();
        assertThat(NotificationKind.of(JobEventDraft.of(JobEventType.JOB_AWAITING_APPROVAL, "system")))
                .isEmpty();
    }

    private static String kind(JobEventType type) {
        return NotificationKind.of(JobEventDraft.of(type, "system"))
                .orElseThrow()
                .code();
    }
}
