package dev.ferry.aws.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** {@code aws.ssm.putParameter} against the emulator, read back through the SDK. */
class PutParameterIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    PutParameterAction action;

    private final SsmClient ssm = AwsEmulator.client(SsmClient.builder());
    private String prefix;

    @BeforeEach
    void prefix() {
        prefix = "/ferry-it/" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void overwritesTheTrafficSplitAndCompensationRestoresThePreviousValue() {
        String name = prefix + "/traffic-split-percent";
        ssm.putParameter(r -> r.name(name).value("10").type(ParameterType.STRING));
        ActionDriver driver = new ActionDriver(action, "split-50");
        ObjectNode with = JSON.createObjectNode().put("name", name).put("value", "50");

        JsonNode output = ((ActionResult.Succeeded) driver.run(with, Duration.ofSeconds(10))).output();

        assertThat(output.get("previousValue").asText()).isEqualTo("10");
        assertThat(output.get("previousExists").asBoolean()).isTrue();
        assertThat(output.get("type").asText()).isEqualTo("String");
        assertThat(read(name).value()).isEqualTo("50");

        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(read(name).value()).isEqualTo("10");
        assertThat(read(name).type()).isEqualTo(ParameterType.STRING);
    }

    @Test
    void aSecureStringIsRestoredFromHistoryAndNeverEchoed() {
        String name = prefix + "/sentry-dsn";
        ssm.putParameter(r -> r.name(name)
                .value("old-secret")
                .type(ParameterType.SECURE_STRING)
                .keyId("alias/etl"));
        ActionDriver driver = new ActionDriver(action, "dsn");
        ObjectNode with = JSON.createObjectNode()
                .put("name", name)
                .put("value", "new-secret")
                .put("type", "SecureString");

        ActionResult result = driver.run(with, Duration.ofSeconds(10));

        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.toString()).doesNotContain("old-secret", "new-secret");
        assertThat(driver.progress().toString()).doesNotContain("old-secret");
        assertThat(output.get("previousType").asText()).isEqualTo("SecureString");
        assertThat(action.describe(with)).doesNotContain("new-secret").contains("hidden");
        assertThat(read(name).value()).isEqualTo("new-secret");

        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(read(name).value()).isEqualTo("old-secret");
        assertThat(read(name).type()).isEqualTo(ParameterType.SECURE_STRING);
    }

    @Test
    void aParameterThatDidNotExistIsDeletedByCompensation() {
        String name = prefix + "/maintenance";
        ActionDriver driver = new ActionDriver(action, "maintenance-on");
        ObjectNode with = JSON.createObjectNode().put("name", name).put("value", "true");

        JsonNode output = ((ActionResult.Succeeded) driver.run(with, Duration.ofSeconds(10))).output();

        assertThat(output.get("previousExists").asBoolean()).isFalse();
        assertThat(read(name).value()).isEqualTo("true");
        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThatThrownBy(() -> read(name)).isInstanceOf(ParameterNotFoundException.class);
        // A retried rollback finds it already gone.
        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
    }

    @Test
    void aRetryAfterALostResultKeepsTheOriginalValueAndWritesNoNewVersion() {
        String name = prefix + "/traffic-split-percent";
        ssm.putParameter(r -> r.name(name).value("10").type(ParameterType.STRING));
        ActionDriver driver = new ActionDriver(action, "split-50");
        ObjectNode with = JSON.createObjectNode().put("name", name).put("value", "50");
        driver.call(with);
        ObjectNode captured = driver.progress();
        driver.call(with);

        ActionResult again = driver.restoredProgress(captured).nextAttempt().run(with, Duration.ofSeconds(10));

        JsonNode output = ((ActionResult.Succeeded) again).output();
        assertThat(output.get("previousValue").asText()).isEqualTo("10");
        assertThat(output.get("version").asLong()).isEqualTo(2);
        assertThat(output.get("awsCalls").findValuesAsText("operation")).doesNotContain("PutParameter");
        assertThat(read(name).version()).isEqualTo(2);
    }

    private Parameter read(String name) {
        return ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter();
    }
}
