package dev.ferry.security;

import dev.ferry.job.RequestHashing;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Idempotency request hashes as HMAC-SHA256 under a key derived from Ferry's secret key (its own
 * label, so the sealing key is never used for two purposes). Without a secret key, secrets are
 * refused before any hash is stored, so the plain SHA-256 then fingerprints nothing secret.
 */
@Component
class HmacRequestHashing implements RequestHashing {

    private static final byte[] LABEL = "ferry idempotency request hash v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;

    HmacRequestHashing(AesGcmSecretSealing sealing) {
        this.key = sealing.key() == null ? null : new SecretKeySpec(mac(sealing.key(), LABEL), "HmacSHA256");
    }

    @Override
    public String hash(byte[] canonicalRequest) {
        return key == null
                ? UNKEYED.hash(canonicalRequest)
                : KEYED_PREFIX + HexFormat.of().formatHex(mac(key, canonicalRequest));
    }

    private static byte[] mac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
