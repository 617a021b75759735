package dev.ferry.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ferry.security.StaticTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Credentials for tests. Every test service trusts one RSA key made for this JVM (as an OIDC
 * provider's key would be trusted in production), and {@link #jwt} signs tokens with it; a few
 * static API tokens are configured by their hash, like a real deployment's.
 */
public final class TestTokens {

    /** The roles of a test user for whom none are named: every human role. */
    public static final List<String> EVERY_HUMAN_ROLE = List.of("operator", "approver", "admin");

    /** Static API tokens configured in every test service: plaintext, subject, roles. */
    public static final String STATIC_OPERATOR = "test-static-operator-token-0123456789";

    public static final String STATIC_VIEWER = "test-static-viewer-token-0123456789";
    public static final String STATIC_EXPIRED = "test-static-expired-token-0123456789";

    /** A fixed AES-256 key for sealing secret parameters: a restarted test engine opens what it sealed. */
    public static final String SECRET_KEY = "dGVzdC1vbmx5LWZlcnJ5LXNlY3JldC1rZXktMzJieXQ=";

    private static final RSAKey KEY = generate();
    private static final RSAKey STRANGER = generate();
    private static final Path PUBLIC_KEY = writePublicKey();

    private TestTokens() {}

    /** The settings that make a service trust the test key and the static test tokens, and seal secrets. */
    public static List<String> settings() {
        return List.of(
                "spring.security.oauth2.resourceserver.jwt.public-key-location=" + PUBLIC_KEY.toUri(),
                "ferry.security.tokens[0].subject=static-operator",
                "ferry.security.tokens[0].roles=operator",
                "ferry.security.tokens[0].sha256=" + StaticTokens.sha256(STATIC_OPERATOR),
                "ferry.security.tokens[1].subject=static-viewer",
                "ferry.security.tokens[1].roles=viewer",
                "ferry.security.tokens[1].sha256=" + StaticTokens.sha256(STATIC_VIEWER),
                "ferry.security.tokens[2].subject=static-expired",
                "ferry.security.tokens[2].roles=operator,viewer",
                "ferry.security.tokens[2].sha256=" + StaticTokens.sha256(STATIC_EXPIRED),
                "ferry.security.tokens[2].expires-at=2020-01-01T00:00:00Z",
                // Secret parameters are sealed in every test, as they must be in production.
                "ferry.security.secret-key=" + SECRET_KEY,
                // On the embedded database the README's tokens name the same people as the test JWTs:
                // said so, as a deployment must (otherwise such a JWT is refused).
                "ferry.security.subject-aliases.alice=alice",
                "ferry.security.subject-aliases.bob=bob",
                "ferry.security.subject-aliases.carol=carol",
                "ferry.security.subject-aliases.dana=dana",
                "ferry.security.subject-aliases.alertmanager=alertmanager",
                "ferry.security.subject-aliases.dashboard=dashboard");
    }

    /** A JWT for {@code subject} with these roles, valid for an hour. */
    public static String jwt(String subject, List<String> roles) {
        Instant now = Instant.now();
        return sign(KEY, subject, roles, now.plus(Duration.ofHours(1)));
    }

    /** A well-signed JWT that expired ten minutes ago (beyond any clock-skew allowance). */
    public static String expiredJwt(String subject, List<String> roles) {
        return sign(KEY, subject, roles, Instant.now().minus(Duration.ofMinutes(10)));
    }

    /** A JWT signed by a key nobody trusts. */
    public static String foreignJwt(String subject, List<String> roles) {
        return sign(STRANGER, subject, roles, Instant.now().plus(Duration.ofHours(1)));
    }

    private static String sign(RSAKey key, String subject, List<String> roles, Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("roles", roles)
                .issueTime(Date.from(expiresAt.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("ferry-test").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writePublicKey() {
        try {
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes())
                            .encodeToString(KEY.toRSAPublicKey().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Path file = Files.createTempFile("ferry-test-jwt", ".pem");
            file.toFile().deleteOnExit();
            return Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
