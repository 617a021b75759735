package dev.ferry.action.local;

import static dev.ferry.action.local.Contexts.T0;
import static dev.ferry.action.local.Contexts.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.action.ActionResult;
import org.junit.jupiter.api.Test;

class FailActionTest {

    private final FailAction fail = new FailAction();

    private ActionResult attempt(String with, int attempt) {
        return fail.execute(call(with, attempt, JsonNodeFactory.instance.objectNode(), T0));
    }

    @Test
    void failsTheFirstTimesAttemptsThenSucceeds() {
        String with = "{\"times\":2}";

        assertThat(attempt(with, 1)).isInstanceOf(ActionResult.Failed.class);
        assertThat(attempt(with, 2)).isInstanceOf(ActionResult.Failed.class);
        assertThat(attempt(with, 3)).isInstanceOf(ActionResult.Succeeded.class);
        // The same attempt gives the same answer, as after a crash and a re-run.
        assertThat(attempt(with, 2)).isInstanceOf(ActionResult.Failed.class);
    }

    @Test
    void withoutTimesItAlwaysFailsWithTheDefaults() {
        ActionResult.Failed failed = (ActionResult.Failed) attempt("{}", 50);

        assertThat(failed.retryable()).isTrue();
        assertThat(failed.code()).isEqualTo("INJECTED_FAILURE");
        assertThat(failed.message()).contains("attempt 50");
    }

    @Test
    void zeroTimesSucceedsAtOnce() {
        assertThat(attempt("{\"times\":0}", 1)).isInstanceOf(ActionResult.Succeeded.class);
    }

    @Test
    void usesTheGivenCodeMessageAndRetryability() {
        ActionResult.Failed failed =
                (ActionResult.Failed) attempt("{\"retryable\":false,\"code\":\"BOOM\",\"message\":\"rehearsal\"}", 1);

        assertThat(failed.retryable()).isFalse();
        assertThat(failed.code()).isEqualTo("BOOM");
        assertThat(failed.message()).isEqualTo("rehearsal");
    }

    @Test
    void describesWhatItWillDo() {
        assertThat(fail.describe(Contexts.json("{\"times\":1}")))
                .isEqualTo("Fail the first 1 attempt(s), then succeed");
        assertThat(fail.describe(Contexts.json("{}"))).isEqualTo("Fail every attempt");
    }
}
