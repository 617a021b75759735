package dev.ferry.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How webhook deliveries are signed: {@code X-Ferry-Signature: sha256=<hex>} where hex is the
 * HMAC-SHA256, keyed by the target's secret, of {@code <X-Ferry-Timestamp> + "." + <raw body>}.
 * The timestamp (Unix seconds) is signed with the body so a captured request cannot be replayed
 * later: receivers reject timestamps older than a few minutes, and deduplicate on the CloudEvent id.
 */
public final class WebhookSignature {

    public static final String SIGNATURE_HEADER = "X-Ferry-Signature";
    public static final String TIMESTAMP_HEADER = "X-Ferry-Timestamp";

    private WebhookSignature() {}

    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
