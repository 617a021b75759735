package dev.ferry.aws.rds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.CallArguments;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/** Lookups, deterministic identifiers and parameter defaults the RDS actions share. */
final class RdsSupport {

    /** Marks what a step created, so a retry can tell its own resource from a stranger's. */
    static final String TOKEN_TAG = "ferry:idempotency-token";

    private static final int MAX_IDENTIFIER = 255;
    private static final int HASH_LENGTH = 12;

    private RdsSupport() {}

    /**
     * A valid RDS identifier (letters, digits, single hyphens, starting with a letter, at most 255)
     * made of a readable prefix and a short hash of the token: stable across retries, distinct per step.
     */
    static String identifier(String prefix, String token) {
        String hash = sha256(token).substring(0, HASH_LENGTH);
        String readable = prefix == null
                ? ""
                : prefix.replaceAll("[^A-Za-z0-9-]", "-")
                        .replaceAll("-{2,}", "-")
                        .replaceAll("^-+|-+$", "");
        if (readable.isEmpty() || !Character.isLetter(readable.charAt(0))) {
            readable = ("ferry-" + readable).replaceAll("-+$", "");
        }
        int room = MAX_IDENTIFIER - HASH_LENGTH - 1;
        if (readable.length() > room) {
            readable = readable.substring(0, room).replaceAll("-+$", "");
        }
        return readable + "-" + hash;
    }

    static Optional<DBSnapshot> snapshot(RdsClient rds, String snapshotId) {
        try {
            return rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(snapshotId)).dbSnapshots().stream()
                    .findFirst();
        } catch (DbSnapshotNotFoundException gone) {
            return Optional.empty();
        }
    }

    static Optional<DBInstance> instance(RdsClient rds, String instanceId) {
        try {
            return rds.describeDBInstances(r -> r.dbInstanceIdentifier(instanceId)).dbInstances().stream()
                    .findFirst();
        } catch (DbInstanceNotFoundException gone) {
            return Optional.empty();
        }
    }

    /** The plan's {@code tags} map plus the token tag. */
    static List<Tag> tags(JsonNode with, String token) {
        List<Tag> tags = new ArrayList<>();
        with.path("tags")
                .fields()
                .forEachRemaining(e -> tags.add(Tag.builder()
                        .key(e.getKey())
                        .value(e.getValue().asText())
                        .build()));
        tags.add(Tag.builder().key(TOKEN_TAG).value(token).build());
        return tags;
    }

    static boolean taggedWith(List<Tag> tags, String token) {
        return tags.stream().anyMatch(t -> TOKEN_TAG.equals(t.key()) && token.equals(t.value()));
    }

    static Duration pollInterval(JsonNode with) {
        return Duration.parse(with.path("pollInterval").asText("PT30S"));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String RDS = "Rds";

    static PlannedCall describeInstances(Object instanceId) {
        return PlannedCall.read(
                RDS, "DescribeDBInstances", "rds:DescribeDBInstances", arguments("dbInstanceIdentifier", instanceId));
    }

    static PlannedCall describeSnapshots(Object snapshotId) {
        return PlannedCall.read(
                RDS, "DescribeDBSnapshots", "rds:DescribeDBSnapshots", arguments("dbSnapshotIdentifier", snapshotId));
    }

    /** {@link InstanceRemoval}'s calls: look, delete (with a final snapshot unless null), poll until gone. */
    static List<PlannedCall> plannedRemoval(Object instanceId, String finalSnapshot) {
        List<String> iam = finalSnapshot == null
                ? List.of("rds:DeleteDBInstance")
                : List.of("rds:DeleteDBInstance", "rds:CreateDBSnapshot");
        return List.of(
                describeInstances(instanceId),
                new PlannedCall(
                        RDS,
                        "DeleteDBInstance",
                        iam,
                        arguments(
                                "dbInstanceIdentifier",
                                instanceId,
                                "skipFinalSnapshot",
                                finalSnapshot == null,
                                "finalDBSnapshotIdentifier",
                                finalSnapshot),
                        List.of("rds:instance:" + text(instanceId))));
    }

    static ObjectNode arguments(Object... namesAndValues) {
        return CallArguments.of(namesAndValues);
    }

    static String text(Object value) {
        return value instanceof JsonNode node ? node.asText() : String.valueOf(value);
    }

    /** The instance exists and is {@code available}. */
    static PreflightFinding inspectInstance(RdsClient rds, String instanceId) {
        String subject = "rds:instance:" + instanceId;
        return instance(rds, instanceId)
                .map(i -> "available".equals(i.dbInstanceStatus())
                        ? PreflightFinding.ok("resource-exists", subject, "available (" + i.engine() + ")")
                        : PreflightFinding.blocking(
                                "resource-state", subject, "RDS instance is " + i.dbInstanceStatus()))
                .orElse(PreflightFinding.blocking("resource-exists", subject, "no such RDS instance"));
    }
}
