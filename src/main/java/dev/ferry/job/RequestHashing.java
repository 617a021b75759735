package dev.ferry.job;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a create request's idempotency record remembers of the request, to tell a replay from
 * another request under the same key (port; the security capability keys it). A plain SHA-256 of
 * a body with a secret in it would let whoever reads the table test guesses of the secret, so the
 * implementation is an HMAC, stored as {@code hmac-sha256:<hex>}.
 */
public interface RequestHashing {

    String KEYED_PREFIX = "hmac-sha256:";

    /** The hash to store for this canonical request body. */
    String hash(byte[] canonicalRequest);

    /** Plain SHA-256 hex, as rows written before the hash was keyed hold; for slices without security. */
    RequestHashing UNKEYED = RequestHashing::sha256;

    /**
     * Whether {@code stored} was computed from this request: keyed rows by this hashing, rows from
     * before the change (bare hex) by the plain SHA-256 they were written with.
     */
    default boolean matches(String stored, byte[] canonicalRequest) {
        return stored.startsWith(KEYED_PREFIX)
                ? stored.equals(hash(canonicalRequest))
                : stored.equals(sha256(canonicalRequest));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
