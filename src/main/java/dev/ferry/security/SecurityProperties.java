package dev.ferry.security;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication ({@code ferry.security.*}). Two kinds of bearer token, usable together: static
 * API tokens listed here by their SHA-256, and JWTs from an OIDC provider, enabled by Spring
 * Boot's {@code spring.security.oauth2.resourceserver.jwt.*} (issuer-uri, jwk-set-uri or
 * public-key-location); this record only says how to read a JWT's subject and roles.
 *
 * @param tokens static API tokens
 * @param devTokens the well-known development tokens of the README; honoured only while Ferry runs
 *     on its embedded database, so a deployment with a real database never accepts them, and then
 *     on loopback only unless {@code server.address} is set ({@link LoopbackForDevelopmentTokens})
 * @param jwt how a JWT names its subject and roles
 * @param secretKey base64 of 32 random bytes ({@code openssl rand -base64 32}): secret job
 *     parameters, webhook secrets and Slack URLs are stored sealed with it (AES-GCM). Unset, the
 *     embedded database mode keeps a generated key beside its data directory, and with an
 *     external database a secret is refused (422 {@code secret-key-missing})
 * @param composeStack set by {@code docker/compose.yaml} only: its published tokens are accepted
 * @param composeTokens SHA-256 of the tokens published in {@code docker/compose.yaml}; configured in
 *     {@link #tokens} they are dropped unless {@link #composeStack}
 * @param subjectAliases static token subject → the subject (a JWT's) of the same person, for
 *     separation of duties; without an entry, a JWT whose subject equals a static token's is refused
 */
@ConfigurationProperties("ferry.security")
public record SecurityProperties(
        @DefaultValue List<StaticToken> tokens,
        @DefaultValue DevTokens devTokens,
        @DefaultValue Jwt jwt,
        String secretKey,
        @DefaultValue("false") boolean composeStack,
        @DefaultValue Set<String> composeTokens,
        @DefaultValue Map<String, String> subjectAliases) {

    public SecurityProperties {
        composeTokens = composeTokens == null
                ? Set.of()
                : composeTokens.stream()
                        .map(hash -> hash.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet());
        subjectAliases = subjectAliases == null ? Map.of() : Map.copyOf(subjectAliases);
    }

    /**
     * One static API token. Only its hash is configured: {@code printf %s "$TOKEN" | sha256sum}.
     *
     * @param subject who the token is (shown as the actor of what it does)
     * @param roles its roles
     * @param sha256 lowercase hex SHA-256 of the token's UTF-8 bytes
     * @param expiresAt after this instant the token is refused; null for no expiry
     */
    public record StaticToken(String subject, Set<String> roles, String sha256, Instant expiresAt) {

        public StaticToken {
            roles = roles == null ? Set.of() : Set.copyOf(roles);
        }
    }

    /**
     * @param enabled honour {@link #tokens} (still only on the embedded database)
     * @param tokens the development tokens, same shape as {@link SecurityProperties#tokens}
     */
    public record DevTokens(@DefaultValue("false") boolean enabled, @DefaultValue List<StaticToken> tokens) {}

    /**
     * @param subjectClaim the claim that names the caller ({@code sub}, {@code preferred_username}, {@code email})
     * @param rolesClaim the claim with the caller's roles; a dotted path reaches into objects
     *     ({@code realm_access.roles}); a list or a space- or comma-separated string
     * @param rolePrefix stripped from each role, e.g. {@code ferry-} when the provider's groups are {@code ferry-operator}
     */
    public record Jwt(
            @DefaultValue("sub") String subjectClaim,
            @DefaultValue("roles") String rolesClaim,
            @DefaultValue("") String rolePrefix) {}
}
