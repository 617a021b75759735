package dev.ferry.aws.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** {@code aws.kms.createKey} against the emulator, read back through the SDK. */
class CreateKeyIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    @Autowired
    CreateKeyAction action;

    private final KmsClient kms = AwsEmulator.client(KmsClient.builder());

    @Test
    void createsOneKeyUnderADerivedAliasEvenWhenRunAgain() {
        ActionDriver driver = new ActionDriver(action, "efs-key");
        ObjectNode with = JSON.createObjectNode().put("description", "fluxion EFS");
        with.putObject("tags").put("Name", "fluxion-efs");
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        String keyId = output.get("keyId").asText();
        assertThat(output.get("alias").asText()).matches("alias/ferry-[0-9a-f]{16}");
        assertThat(output.get("created").asBoolean()).isTrue();
        assertThat(kms.describeKey(r -> r.keyId(output.get("alias").asText()))
                        .keyMetadata()
                        .arn())
                .isEqualTo(output.get("keyArn").asText());
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(keyId)).keyRotationEnabled())
                .isTrue();
        assertThat(kms.listResourceTags(r -> r.keyId(keyId)).tags())
                .anyMatch(t -> t.tagKey().equals("Name") && t.tagValue().equals("fluxion-efs"));

        JsonNode again = succeeded(driver.restoredProgress(JsonNodeFactory.instance.objectNode())
                .nextAttempt()
                .run(with, AT_MOST));
        assertThat(again.get("keyId").asText()).isEqualTo(keyId);
        assertThat(again.get("created").asBoolean()).isTrue();
        assertThat(keysTaggedWith(driver.idempotencyToken())).isEqualTo(1);
    }

    @Test
    void aKeyWhoseAliasNeverFollowedIsFoundByItsTokenTag() {
        ActionDriver driver = new ActionDriver(action, "efs-key");
        // A lost call created the key, then the worker died before the alias.
        String orphan = kms.createKey(
                        r -> r.tags(t -> t.tagKey("ferry:idempotency-token").tagValue(driver.idempotencyToken())))
                .keyMetadata()
                .keyId();
        JsonNode output = succeeded(driver.run(JSON.createObjectNode(), AT_MOST));
        assertThat(output.get("keyId").asText()).isEqualTo(orphan);
        assertThat(keysTaggedWith(driver.idempotencyToken())).isEqualTo(1);
    }

    @Test
    void compensationDeletesTheAliasAndSchedulesTheKeysDeletion() {
        ActionDriver driver = new ActionDriver(action, "efs-key");
        ObjectNode with = JSON.createObjectNode()
                .put("alias", "fluxion-" + UUID.randomUUID())
                .put("pendingWindowInDays", 10);
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        assertThat(output.get("alias").asText()).startsWith("alias/fluxion-");

        JsonNode undone = succeeded(driver.compensate(with, output));
        assertThat(undone.get("pendingWindowInDays").asInt()).isEqualTo(10);
        assertThat(kms.describeKey(r -> r.keyId(output.get("keyId").asText()))
                        .keyMetadata()
                        .keyState())
                .isEqualTo(KeyState.PENDING_DELETION);
        assertThat(aliasExists(output.get("alias").asText())).isFalse();
        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
    }

    @Test
    void aKeyAlreadyBehindAGivenAliasIsUsedAndNeverDeleted() {
        String alias = "alias/shared-" + UUID.randomUUID();
        String existing =
                kms.createKey(r -> r.description("made by hand")).keyMetadata().keyId();
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(existing));
        ActionDriver driver = new ActionDriver(action, "efs-key");
        ObjectNode with = JSON.createObjectNode().put("alias", alias);
        JsonNode output = succeeded(driver.run(with, AT_MOST));
        assertThat(output.get("keyId").asText()).isEqualTo(existing);
        assertThat(output.get("created").asBoolean()).isFalse();

        assertThat(succeeded(driver.compensate(with, output)).get("kept").asBoolean())
                .isTrue();
        assertThat(kms.describeKey(r -> r.keyId(existing)).keyMetadata().keyState())
                .isEqualTo(KeyState.ENABLED);
        assertThat(aliasExists(alias)).isTrue();
    }

    private long keysTaggedWith(String token) {
        return kms.listKeysPaginator(r -> r.limit(100)).keys().stream()
                .filter(k -> kms.listResourceTags(r -> r.keyId(k.keyId())).tags().stream()
                        .anyMatch(t -> t.tagKey().equals("ferry:idempotency-token")
                                && t.tagValue().equals(token)))
                .count();
    }

    private boolean aliasExists(String alias) {
        try {
            kms.describeKey(r -> r.keyId(alias));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static JsonNode succeeded(ActionResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ActionResult.Succeeded.class);
        return ((ActionResult.Succeeded) result).output();
    }
}
