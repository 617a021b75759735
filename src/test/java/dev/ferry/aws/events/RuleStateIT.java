package dev.ferry.aws.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.RuleState;

/** {@code aws.events.disableRule} and {@code aws.events.enableRule} against the emulator. */
class RuleStateIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    DisableRuleAction disable;

    @Autowired
    EnableRuleAction enable;

    private final EventBridgeClient events = AwsEmulator.client(EventBridgeClient.builder());
    private String rule;

    @BeforeEach
    void etlSchedule() {
        rule = "inventario-sync-" + UUID.randomUUID().toString().substring(0, 8);
        events.putRule(r -> r.name(rule).scheduleExpression("rate(30 minutes)").state(RuleState.ENABLED));
    }

    @Test
    void disablesTheScheduleAndCompensationEnablesItAgain() {
        ActionDriver driver = new ActionDriver(disable, "pause-etl");
        ObjectNode with = JSON.createObjectNode().put("name", rule);

        JsonNode output = ((ActionResult.Succeeded) driver.run(with, Duration.ofSeconds(10))).output();

        assertThat(output.get("previousState").asText()).isEqualTo("ENABLED");
        assertThat(state(rule, null)).isEqualTo("DISABLED");
        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(state(rule, null)).isEqualTo("ENABLED");
    }

    @Test
    void aRuleAlreadyDisabledStaysDisabledAfterCompensation() {
        events.disableRule(r -> r.name(rule));
        ActionDriver driver = new ActionDriver(disable, "pause-etl");
        ObjectNode with = JSON.createObjectNode().put("name", rule);

        JsonNode output = ((ActionResult.Succeeded) driver.run(with, Duration.ofSeconds(10))).output();

        assertThat(output.get("previousState").asText()).isEqualTo("DISABLED");
        assertThat(output.get("awsCalls").findValuesAsText("operation")).doesNotContain("DisableRule");
        driver.compensate(with, output);
        assertThat(state(rule, null)).isEqualTo("DISABLED");
    }

    @Test
    void aRetryAfterALostResultStillRemembersTheRuleWasEnabled() {
        ActionDriver driver = new ActionDriver(disable, "pause-etl");
        ObjectNode with = JSON.createObjectNode().put("name", rule);
        driver.call(with);
        ObjectNode captured = driver.progress();
        driver.call(with);

        ActionResult again = driver.restoredProgress(captured).nextAttempt().run(with, Duration.ofSeconds(10));

        assertThat(((ActionResult.Succeeded) again)
                        .output()
                        .get("previousState")
                        .asText())
                .isEqualTo("ENABLED");
    }

    @Test
    void enablesARuleOnACustomBusAndCompensationDisablesItAgain() {
        String bus = "ferry-" + UUID.randomUUID().toString().substring(0, 8);
        events.createEventBus(r -> r.name(bus));
        events.putRule(r -> r.name(rule)
                .eventBusName(bus)
                .eventPattern("{\"source\":[\"fluxion.etl\"]}")
                .state(RuleState.DISABLED));
        ActionDriver driver = new ActionDriver(enable, "resume-etl");
        ObjectNode with = JSON.createObjectNode().put("name", rule).put("eventBusName", bus);

        JsonNode output = ((ActionResult.Succeeded) driver.run(with, Duration.ofSeconds(10))).output();

        assertThat(output.get("previousState").asText()).isEqualTo("DISABLED");
        assertThat(state(rule, bus)).isEqualTo("ENABLED");
        assertThat(state(rule, null)).isEqualTo("ENABLED");
        driver.compensate(with, output);
        assertThat(state(rule, bus)).isEqualTo("DISABLED");
    }

    @Test
    void anUnknownRuleFailsWithoutRetry() {
        ActionResult result = new ActionDriver(disable, "pause-etl")
                .run(JSON.createObjectNode().put("name", "nope"), Duration.ofSeconds(10));

        assertThat(result).isInstanceOf(ActionResult.Failed.class);
        assertThat(((ActionResult.Failed) result).retryable()).isFalse();
        assertThat(((ActionResult.Failed) result).code()).isEqualTo("ResourceNotFoundException");
    }

    private String state(String name, String bus) {
        return events.describeRule(r -> r.name(name).eventBusName(bus)).stateAsString();
    }
}
