package dev.ferry.aws.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Configuration backups (a Lambda function, an API Gateway stage...) as JSON documents in S3, at
 * a key the caller derives from the step, so a retry finds the backup instead of taking another
 * one after later steps changed what it describes. The document's SHA-256 is sent as the S3
 * checksum, so S3 rejects a corrupted upload and keeps the checksum for later verification.
 */
public final class BackupDocuments {

    /** The hex SHA-256 is also kept as metadata: not every S3-compatible store returns stored checksums. */
    private static final String SHA256_METADATA = "ferry-sha256";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private BackupDocuments() {}

    /** The backup already at {@code location}, described as {@link #store} would, if there is one. */
    public static Optional<ObjectNode> existing(S3Client s3, S3Location location) {
        return S3Objects.head(s3, location).map(head -> describe(
                        location, head.metadata().get(SHA256_METADATA), head.contentLength(), head.versionId())
                .put("alreadyExisted", true));
    }

    /** Writes {@code document} (encrypted at rest, with {@code kmsKeyId} if given) and describes it. */
    public static ObjectNode store(S3Client s3, S3Location location, JsonNode document, String kmsKeyId) {
        byte[] bytes;
        try {
            bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
        byte[] digest = sha256(bytes);
        String hex = HexFormat.of().formatHex(digest);
        PutObjectResponse put = s3.putObject(
                r -> r.bucket(location.bucket())
                        .key(location.key())
                        .contentType("application/json")
                        .checksumSHA256(Base64.getEncoder().encodeToString(digest))
                        .metadata(Map.of(SHA256_METADATA, hex))
                        .serverSideEncryption(
                                kmsKeyId == null ? ServerSideEncryption.AES256 : ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId(kmsKeyId),
                RequestBody.fromBytes(bytes));
        return describe(location, hex, (long) bytes.length, put.versionId()).put("alreadyExisted", false);
    }

    private static ObjectNode describe(S3Location location, String sha256Hex, Long size, String versionId) {
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("bucket", location.bucket())
                .put("key", location.key())
                .put("uri", location.uri())
                .put("size", size)
                .put("versionId", versionId)
                .put("sha256", sha256Hex);
        if (sha256Hex != null) {
            out.put(
                    "checksumSHA256",
                    Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)));
        }
        return out;
    }

    /** An SDK response or model object as JSON, with AWS's own member names; unset members left out. */
    public static JsonNode toJson(Object value) {
        if (value instanceof SdkPojo pojo) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object member = field.getValueOrDefault(pojo);
                if (member != null
                        && !(member instanceof SdkAutoConstructList<?>)
                        && !(member instanceof SdkAutoConstructMap<?, ?>)) {
                    object.set(field.memberName(), toJson(member));
                }
            }
            return object;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            items.forEach(item -> array.add(toJson(item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof SdkBytes bytes) {
            return JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
        }
        if (value instanceof Instant || value instanceof String || value instanceof Enum<?>) {
            return JsonNodeFactory.instance.textNode(value.toString());
        }
        return JSON.valueToTree(value);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
