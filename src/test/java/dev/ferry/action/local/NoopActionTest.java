package dev.ferry.action.local;

import static dev.ferry.action.local.Contexts.T0;
import static dev.ferry.action.local.Contexts.first;
import static dev.ferry.action.local.Contexts.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.action.ActionResult;
import org.junit.jupiter.api.Test;

class NoopActionTest {

    private final NoopAction noop = new NoopAction();

    @Test
    void succeedsAtOnceWithTheGivenOutput() {
        ActionResult result = noop.execute(first("{\"message\":\"hi\",\"output\":{\"arn\":\"a\",\"n\":2}}", T0));

        assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(((ActionResult.Succeeded) result).output()).isEqualTo(json("{\"arn\":\"a\",\"n\":2}"));
    }

    @Test
    void succeedsWithAnEmptyOutputWhenNoneIsGiven() {
        ActionResult result = noop.execute(first("{}", T0));

        assertThat(((ActionResult.Succeeded) result).output().isEmpty()).isTrue();
    }

    @Test
    void describesItselfWithTheMessage() {
        assertThat(noop.describe(json("{\"message\":\"marker\"}"))).isEqualTo("Do nothing: marker");
        assertThat(noop.describe(json("{}"))).isEqualTo("Do nothing");
        assertThat(noop.name()).isEqualTo("noop");
    }
}
