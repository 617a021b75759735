package dev.ferry.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Where Ferry's secret key comes from: {@code ferry.security.secret-key} if set; on the embedded
 * database, a random key kept in {@code secret.key} beside its data directory (owner-only, reused
 * on every start, so what was sealed stays readable); otherwise none, and secrets are refused.
 */
final class SecretKeys {

    static final String FILE_NAME = "secret.key";
    private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretKeys() {}

    /** The key, or null when there is none to have. */
    static SecretKeySpec resolve(String configured, Environment environment) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured, "ferry.security.secret-key");
        }
        if (!DevelopmentMode.usesEmbeddedDatabase(environment)) {
            log.warn("ferry.security.secret-key is not set: secret parameters, webhook secrets and Slack targets "
                    + "are refused (422 secret-key-missing) rather than stored in plain text");
            return null;
        }
        Path data = Binder.get(environment)
                .bind("ferry.database.embedded.data-directory", Path.class)
                .orElse(Path.of("./.ferry/pgdata"));
        Path file = data.toAbsolutePath().normalize().resolveSibling(FILE_NAME);
        return decode(readOrCreate(file), file.toString());
    }

    static String readOrCreate(Path file) {
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String created = Base64.getEncoder().encodeToString(bytes);
            try {
                // Created with owner-only permissions, so the key is never readable by others, even briefly.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, created);
                log.info("Secrets are sealed with a new key kept in {} (back it up with the database)", file);
                return created;
            } catch (FileAlreadyExistsException exists) {
                if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                    throw new IllegalStateException(file + " must be readable by its owner only (chmod 600)");
                }
                log.info("Secrets are sealed with the key kept in {}", file);
                return Files.readString(file).trim();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the secret key in " + file, e);
        }
    }

    private static SecretKeySpec decode(String base64, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " must be base64 (openssl rand -base64 32)");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(where + " must be 32 bytes (openssl rand -base64 32), got " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
