package dev.ferry.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Signs documents with Ferry's Ed25519 audit key, so that heads recorded outside Ferry can be
 * checked against its public key without trusting the transport or the database. The key comes from
 * {@code ferry.audit.signing-key} (PEM or a file); on the embedded database from
 * {@code audit-signing.key} beside its data directory, created on first start (owner-only, reused).
 * The signature is plain Ed25519 over the exact bytes of the document: {@code openssl pkeyutl
 * -verify -rawin} checks it.
 */
@Component
public class HeadSigning {

    static final String FILE_NAME = "audit-signing.key";
    private static final Logger log = LoggerFactory.getLogger(HeadSigning.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    HeadSigning(AuditProperties properties, Environment environment) {
        String pem = pem(properties.signingKey(), environment);
        if (pem == null) {
            this.privateKey = null;
            this.publicKey = null;
            log.warn(
                    "ferry.audit.signing-key is not set: GET /api/v1/audit/heads answers 503 audit-signing-key-missing");
        } else {
            this.privateKey = parse(pem);
            this.publicKey = publicOf(privateKey);
        }
    }

    /** The Ed25519 signature of {@code document}. */
    public byte[] sign(byte[] document) {
        require();
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(document);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the audit key", e);
        }
    }

    /** The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo). */
    public String publicKeyPem() {
        require();
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** Names the key: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo (DER). */
    public String keyId() {
        require();
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()))
                    .substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void require() {
        if (privateKey == null) {
            throw new AuditSigningKeyMissingException();
        }
    }

    private static String pem(String configured, Environment environment) {
        if (configured != null && !configured.isBlank()) {
            if (configured.strip().startsWith("-----BEGIN")) {
                return configured;
            }
            try {
                return Files.readString(Path.of(configured.strip()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read ferry.audit.signing-key from " + configured, e);
            }
        }
        String url = environment.getProperty("spring.datasource.url");
        if (url != null && !"__embedded__".equals(url)) {
            return null;
        }
        Path data = Binder.get(environment)
                .bind("ferry.database.embedded.data-directory", Path.class)
                .orElse(Path.of("./.ferry/pgdata"));
        return readOrCreate(data.toAbsolutePath().normalize().resolveSibling(FILE_NAME));
    }

    private static String readOrCreate(Path file) {
        try {
            Files.createDirectories(file.getParent());
            try {
                // Created owner-only, so the key is never readable by others, even briefly.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException exists) {
                if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                    throw new IllegalStateException(file + " must be readable by its owner only (chmod 600)");
                }
                String kept = Files.readString(file);
                if (!kept.isBlank()) {
                    return kept;
                }
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem);
            log.info("Audit heads are signed with a new Ed25519 key kept in {} (back it up with the database)", file);
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the audit signing key in " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
        }
    }

    private static PrivateKey parse(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "ferry.audit.signing-key must be an Ed25519 private key in PEM (openssl genpkey -algorithm"
                            + " ed25519)",
                    e);
        }
    }

    /**
     * The public key of {@code key}. The JDK has no call that derives it, but its key pair generator
     * derives a public key from the 32 bytes it draws as the private key (RFC 8032, 5.1.5): handed
     * exactly this key's bytes, it makes this key's pair, with the JDK's own curve arithmetic.
     */
    static PublicKey publicOf(PrivateKey key) {
        byte[] seed = ((EdECPrivateKey) key)
                .getBytes()
                .orElseThrow(() -> new IllegalStateException("the audit signing key cannot be read"));
        SecureRandom replay = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
        };
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, replay);
            KeyPair pair = generator.generateKeyPair();
            if (!Arrays.equals(((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(null), seed)) {
                throw new IllegalStateException("this JDK did not derive the audit key's public key");
            }
            return pair.getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
