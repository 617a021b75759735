package dev.ferry.aws.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionFailure;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.AwsAction;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * {@code aws.kms.createKey}: a symmetric customer-managed key for the encrypted EFS or RDS copy.
 * KMS has no client token for CreateKey, so the alias is the idempotency key: it is looked up first,
 * and a key created by a call whose alias never followed (a crash in between) is found again by the
 * step's token tag. A key found under a plan-given alias but not made by this step is used, never
 * deleted on rollback.
 */
@Component
public class CreateKeyAction extends AwsAction {

    public static final String NAME = "aws.kms.createKey";

    public CreateKeyAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String token = context.idempotencyToken();
        String alias = aliasName(with, token);
        KmsClient kms = clients.client("kms", KmsClient::builder, target);
        Optional<KeyMetadata> named = byAlias(kms, alias);
        if (named.isPresent()) {
            return ActionResult.succeeded(output(
                    usable(named.get(), alias),
                    alias,
                    KmsKeys.taggedWith(kms, named.get().keyId(), token)));
        }
        KeyMetadata key = KmsKeys.findTagged(kms, token).orElseGet(() -> create(kms, with, token));
        if (with.path("enableKeyRotation").asBoolean(true)) {
            kms.enableKeyRotation(r -> r.keyId(key.keyId()));
        }
        try {
            kms.createAlias(r -> r.aliasName(alias).targetKeyId(key.keyId()));
        } catch (AlreadyExistsException raced) {
            KeyMetadata winner = byAlias(kms, alias).orElseThrow(() -> raced);
            if (!winner.keyId().equals(key.keyId())) {
                throw new ActionFailure(
                        false,
                        "AliasTaken",
                        alias + " was given to key " + winner.keyId() + " while this step created key " + key.keyId());
            }
        }
        return ActionResult.succeeded(output(usable(key, alias), alias, true));
    }

    private static KeyMetadata create(KmsClient kms, JsonNode with, String token) {
        List<Tag> tags = new ArrayList<>();
        with.path("tags")
                .fields()
                .forEachRemaining(e -> tags.add(Tag.builder()
                        .tagKey(e.getKey())
                        .tagValue(e.getValue().asText())
                        .build()));
        tags.add(Tag.builder().tagKey(KmsKeys.TOKEN_TAG).tagValue(token).build());
        return kms.createKey(r -> r.keySpec(KeySpec.SYMMETRIC_DEFAULT)
                        .keyUsage(KeyUsageType.ENCRYPT_DECRYPT)
                        .description(with.path("description").asText("Created by Ferry"))
                        .tags(tags))
                .keyMetadata();
    }

    private static KeyMetadata usable(KeyMetadata key, String alias) {
        if (key.keyState() == KeyState.PENDING_DELETION || key.keyState() == KeyState.DISABLED) {
            throw new ActionFailure(
                    false,
                    "KeyNotUsable",
                    "KMS key " + key.keyId() + " behind " + alias + " is " + key.keyStateAsString());
        }
        return key;
    }

    private static Optional<KeyMetadata> byAlias(KmsClient kms, String alias) {
        try {
            return Optional.of(kms.describeKey(r -> r.keyId(alias)).keyMetadata());
        } catch (NotFoundException absent) {
            return Optional.empty();
        }
    }

    /** The plan's alias (with or without {@code alias/}), or one derived from the step's token. */
    static String aliasName(JsonNode with, String token) {
        String given = with.path("alias").asText("");
        if (!given.isBlank()) {
            return given.startsWith("alias/") ? given : "alias/" + given;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "alias/ferry-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode output(KeyMetadata key, String alias, boolean created) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("keyId", key.keyId())
                .put("keyArn", key.arn())
                .put("alias", alias)
                .put("created", created);
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /**
     * Removes the alias and schedules the key's deletion (KMS keeps it for the pending window, during
     * which an operator can still cancel); a key this step did not create is left alone.
     */
    @Override
    protected ActionResult undo(ActionContext context, AwsTarget target) {
        JsonNode output = context.output();
        String keyId = output.path("keyId").asText();
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("keyId", keyId);
        if (!output.path("created").asBoolean()) {
            return ActionResult.succeeded(result.put("kept", true));
        }
        KmsClient kms = clients.client("kms", KmsClient::builder, target);
        try {
            kms.deleteAlias(r -> r.aliasName(output.path("alias").asText()));
        } catch (NotFoundException alreadyGone) {
            // removed by an earlier call of this compensation
        }
        int days = context.parameters().path("pendingWindowInDays").asInt(7);
        try {
            result.put(
                    "deletionDate",
                    kms.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(days))
                            .deletionDate()
                            .toString());
        } catch (KmsInvalidStateException alreadyPending) {
            result.put("alreadyPendingDeletion", true);
        } catch (NotFoundException gone) {
            result.put("alreadyDeleted", true);
        }
        return ActionResult.succeeded(result.put("kept", false).put("pendingWindowInDays", days));
    }

    @Override
    public String describe(JsonNode parameters) {
        String alias = parameters.path("alias").asText("");
        return "Create a symmetric KMS key"
                + (alias.isBlank()
                        ? " with an alias derived from the step"
                        : " " + alias + " (or use the key already behind that alias)")
                + (parameters.path("enableKeyRotation").asBoolean(true) ? ", yearly rotation on" : "")
                + " (compensation deletes the alias and schedules the key's deletion in "
                + parameters.path("pendingWindowInDays").asInt(7) + " days)";
    }

    /**
     * The alias is looked up; without it, a key tagged with this step's token is searched for
     * (one ListResourceTags per key of the region), else created with its tags, rotation turned on
     * and the alias created.
     */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        String alias = with.path("alias").asText("").isBlank() ? "(alias derived from the step)" : aliasName(with, "");
        String key = "kms:(new key " + alias + ")";
        List<PlannedCall> calls = new ArrayList<>(List.of(
                PlannedCall.read(KMS, "DescribeKey", "kms:DescribeKey", arguments("keyId", alias)),
                PlannedCall.read(KMS, "ListKeys", "kms:ListKeys", arguments()),
                PlannedCall.read(KMS, "ListResourceTags", "kms:ListResourceTags", arguments("keyId", "(each key)")),
                new PlannedCall(
                        KMS,
                        "CreateKey",
                        List.of("kms:CreateKey", "kms:TagResource"),
                        arguments(
                                "keySpec",
                                "SYMMETRIC_DEFAULT",
                                "keyUsage",
                                "ENCRYPT_DECRYPT",
                                "description",
                                with.path("description").asText("Created by Ferry"),
                                "tags",
                                with.path("tags")),
                        List.of(key))));
        if (with.path("enableKeyRotation").asBoolean(true)) {
            calls.add(PlannedCall.change(
                    KMS, "EnableKeyRotation", "kms:EnableKeyRotation", arguments("keyId", "(the new key)"), key));
        }
        calls.add(new PlannedCall(
                KMS,
                "CreateAlias",
                List.of("kms:CreateAlias"),
                arguments("aliasName", alias, "targetKeyId", "(the new key)"),
                List.of("kms:" + alias, key)));
        return calls;
    }

    /** Nothing when the alias already named a key this step did not create (it is kept). */
    @Override
    public List<PlannedCall> plannedCompensationCalls(JsonNode with) {
        String alias = with.path("alias").asText("").isBlank() ? "(alias derived from the step)" : aliasName(with, "");
        return List.of(
                PlannedCall.change(
                        KMS, "DeleteAlias", "kms:DeleteAlias", arguments("aliasName", alias), "kms:" + alias),
                PlannedCall.change(
                        KMS,
                        "ScheduleKeyDeletion",
                        "kms:ScheduleKeyDeletion",
                        arguments(
                                "keyId",
                                "(the key this step created)",
                                "pendingWindowInDays",
                                with.path("pendingWindowInDays").asInt(7)),
                        "kms:(the key this step created)"));
    }

    /** An alias already taken by a disabled or deleted key would fail the step. */
    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        if (with.path("alias").asText("").isBlank()) {
            return List.of();
        }
        String alias = aliasName(with, "");
        Optional<KeyMetadata> named = byAlias(clients.client("kms", KmsClient::builder, target), alias);
        if (named.isEmpty()) {
            return List.of(PreflightFinding.ok("resource-exists", "kms:" + alias, "free: a new key will be created"));
        }
        KeyState state = named.get().keyState();
        return List.of(
                state == KeyState.PENDING_DELETION || state == KeyState.DISABLED
                        ? PreflightFinding.blocking(
                                "resource-state",
                                "kms:" + alias,
                                "names key " + named.get().keyId() + ", which is " + state)
                        : PreflightFinding.ok(
                                "resource-exists",
                                "kms:" + alias,
                                "names key " + named.get().keyId() + ", which the step will use"));
    }

    private static final String KMS = "Kms";
}
