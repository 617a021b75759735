package dev.ferry.action.local;

import static dev.ferry.action.local.Contexts.T0;
import static dev.ferry.action.local.Contexts.call;
import static dev.ferry.action.local.Contexts.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.action.ActionFailure;
import dev.ferry.action.ActionResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitActionTest {

    private static final String WITH = "{\"duration\":\"PT30S\"}";
    private final WaitAction wait = new WaitAction();

    @Test
    void firstCallStoresTheDeadlineAndAsksToBeCalledWhenItPasses() {
        ActionResult result = wait.execute(first(WITH, T0));

        ActionResult.InProgress inProgress = (ActionResult.InProgress) result;
        assertThat(inProgress.pollAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(inProgress.progress().get("until").asText()).isEqualTo("2026-11-22T03:00:30Z");
    }

    @Test
    void laterCallsKeepTheOriginalDeadline() {
        ActionResult.InProgress started = (ActionResult.InProgress) wait.execute(first(WITH, T0));

        ActionResult result = wait.execute(call(WITH, 1, started.progress(), T0.plusSeconds(20)));

        ActionResult.InProgress again = (ActionResult.InProgress) result;
        assertThat(again.pollAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(again.progress()).isEqualTo(started.progress());
    }

    @Test
    void succeedsOnceTheDeadlineHasPassed() {
        ActionResult.InProgress started = (ActionResult.InProgress) wait.execute(first(WITH, T0));

        ActionResult atDeadline = wait.execute(call(WITH, 1, started.progress(), T0.plusSeconds(30)));
        ActionResult longAfter = wait.execute(call(WITH, 1, started.progress(), T0.plusSeconds(3600)));

        assertThat(((ActionResult.Succeeded) atDeadline)
                        .output()
                        .get("waitedUntil")
                        .asText())
                .isEqualTo("2026-11-22T03:00:30Z");
        assertThat(longAfter).isInstanceOf(ActionResult.Succeeded.class);
    }

    @Test
    void aZeroDurationSucceedsAtOnce() {
        assertThat(wait.execute(first("{\"duration\":\"PT0S\"}", T0))).isInstanceOf(ActionResult.Succeeded.class);
    }

    @Test
    void daysAreAccepted() {
        ActionResult.InProgress result = (ActionResult.InProgress) wait.execute(first("{\"duration\":\"P7D\"}", T0));

        assertThat(result.pollAfter()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void anInvalidDurationIsANonRetryableFailure() {
        assertThatThrownBy(() -> wait.execute(first("{\"duration\":\"soon\"}", T0)))
                .isInstanceOfSatisfying(ActionFailure.class, failure -> {
                    assertThat(failure.retryable()).isFalse();
                    assertThat(failure.code()).isEqualTo("INVALID_PARAMETERS");
                    assertThat(failure.getMessage()).contains("soon");
                });
    }

    @Test
    void describesTheDuration() {
        assertThat(wait.describe(Contexts.json(WITH))).isEqualTo("Wait PT30S");
    }
}
