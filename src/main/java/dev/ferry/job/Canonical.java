package dev.ferry.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** SHA-256 of a JSON tree with object keys sorted, so key order never changes the hash. */
final class Canonical {

    private Canonical() {
    }

    static String sha256(ObjectMapper json, JsonNode node) {
        try {
            ObjectMapper sorted = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
            Object plain = json.treeToValue(node, Object.class);
            byte[] bytes = sorted.writeValueAsBytes(plain instanceof Map<?, ?> || plain != null ? plain : "null");
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash request", e);
        }
    }
}
