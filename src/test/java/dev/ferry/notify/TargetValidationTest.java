package dev.ferry.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetValidationTest {

    @Test
    void acceptsEachTypeAndKeysJobTargetsByPosition() {
        List<NotificationTarget> targets = TargetValidation.validate(
                "notifications",
                "job:",
                List.of(
                        new TargetSpec(
                                "webhook", "https://hooks.example.com/ferry?token=t", null, "0123456789abcdef", null),
                        new TargetSpec(
                                "SLACK", "https://hooks.slack.com/services/T/B/X", null, null, List.of("job.paused")),
                        new TargetSpec("sns", null, "arn:aws:sns:eu-west-1:123456789012:ops", null, null)),
                null);
        assertThat(targets).extracting(NotificationTarget::key).containsExactly("job:0", "job:1", "job:2");
        assertThat(targets.get(1).accepts(NotificationKind.JOB_PAUSED)).isTrue();
        assertThat(targets.get(1).accepts(NotificationKind.JOB_FINISHED)).isFalse();
        assertThat(targets.get(0).accepts(NotificationKind.JOB_FINISHED)).isTrue();
    }

    @Test
    void whatIsShownOfATargetCarriesNoCredential() {
        List<NotificationTarget> targets = TargetValidation.validate(
                "t",
                "job:",
                List.of(
                        new TargetSpec(
                                "webhook",
                                "https://hooks.example.com:8443/p/TOKEN?k=KEY",
                                null,
                                "0123456789abcdef",
                                null),
                        new TargetSpec("slack", "https://hooks.slack.com/services/T/B/SLACKSECRET", null, null, null)),
                null);
        assertThat(targets.get(0).toString()).isEqualTo("job:0 (WEBHOOK https://hooks.example.com:8443)");
        assertThat(targets.get(1).toString()).doesNotContain("SLACKSECRET").doesNotContain("hooks.slack.com");
    }

    @Test
    void refusesWithEveryProblemNamed() {
        assertThatThrownBy(() -> TargetValidation.validate(
                        "n",
                        "job:",
                        List.of(
                                new TargetSpec(
                                        "webhook", "https://user:pw@example.com/", null, "0123456789abcdef", null),
                                new TargetSpec("slack", "https://x.example/", null, "not-for-slack", null),
                                new TargetSpec(
                                        "sns",
                                        "https://x.example/",
                                        "arn:aws:sns:eu-west-1:123:short-account",
                                        null,
                                        null)),
                        null))
                .isInstanceOfSatisfying(InvalidNotificationTargetException.class, e -> assertThat(e.getMessage())
                        .contains("n[0].url")
                        .contains("n[1].secret")
                        .contains("n[2].topicArn")
                        .contains("n[2].url")
                        .doesNotContain("pw@"));
    }
}
