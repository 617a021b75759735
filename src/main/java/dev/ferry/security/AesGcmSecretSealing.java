package dev.ferry.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.job.SecretSealing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Seals secret parameter values with AES-256-GCM under {@code ferry.security.secret-key} (32 bytes,
 * base64), the job id as associated data. Stored as the text {@code sealed:v1:<base64(iv|ciphertext)>}.
 * Without a key, values are stored as they are, and Ferry says so at start-up.
 */
@Component
class AesGcmSecretSealing implements SecretSealing {

    private static final Logger log = LoggerFactory.getLogger(AesGcmSecretSealing.class);
    private static final String PREFIX = "sealed:v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper json = new ObjectMapper();

    AesGcmSecretSealing(SecurityProperties properties) {
        this.key = key(properties.secretKey());
        if (key == null) {
            log.warn("ferry.security.secret-key is not set: secret job parameters are stored in plain text");
        }
    }

    private static SecretKeySpec key(String base64) {
        if (base64 == null || base64.isBlank()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ferry.security.secret-key must be base64 (openssl rand -base64 32)");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("ferry.security.secret-key must be 32 bytes (openssl rand -base64 32), got "
                    + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    @Override
    public JsonNode seal(UUID jobId, JsonNode value) {
        if (key == null) {
            return value;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, jobId);
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(value));
            byte[] stored = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return TextNode.valueOf(PREFIX + Base64.getEncoder().encodeToString(stored));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot seal a secret parameter", e);
        }
    }

    @Override
    public JsonNode open(UUID jobId, JsonNode stored) {
        if (!stored.isTextual() || !stored.textValue().startsWith(PREFIX)) {
            return stored;
        }
        if (key == null) {
            throw new IllegalStateException("a secret parameter is sealed but ferry.security.secret-key is not set");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(stored.textValue().substring(PREFIX.length()));
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, IV_BYTES), jobId);
            byte[] plain = cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
            return json.readTree(plain);
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            // Not the message: it says nothing useful and is kept out of logs on principle.
            throw new IllegalStateException("a secret parameter cannot be opened with ferry.security.secret-key "
                    + "(another key, or altered)");
        }
    }

    private Cipher cipher(int mode, byte[] iv, UUID jobId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(jobId.toString().getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
