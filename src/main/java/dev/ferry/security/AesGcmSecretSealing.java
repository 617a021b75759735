package dev.ferry.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.job.SecretKeyMissingException;
import dev.ferry.job.SecretSealing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Seals secrets (secret parameter values, webhook secrets, Slack URLs) with AES-256-GCM under the
 * key {@link SecretKeys} finds, the job id as associated data. Stored as the text
 * {@code sealed:v1:<base64(iv|ciphertext)>}. Without a key nothing is sealed and every secret is
 * refused ({@link SecretKeyMissingException}): never stored in plain text.
 */
@Component
class AesGcmSecretSealing implements SecretSealing {

    private static final String PREFIX = "sealed:v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper json = new ObjectMapper();

    AesGcmSecretSealing(SecurityProperties properties, Environment environment) {
        this.key = SecretKeys.resolve(properties.secretKey(), environment);
    }

    /** The key, for keys derived from it ({@link HmacRequestHashing}); null without one. */
    SecretKeySpec key() {
        return key;
    }

    @Override
    public void requireKey(String what) {
        if (key == null) {
            throw new SecretKeyMissingException(what);
        }
    }

    @Override
    public JsonNode seal(UUID jobId, JsonNode value) {
        requireKey("a secret");
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, jobId);
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(value));
            byte[] stored = ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv)
                    .put(sealed)
                    .array();
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
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, IV_BYTES), jobId);
            byte[] plain = cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
            return json.readTree(plain);
        } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
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
