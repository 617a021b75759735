package dev.ferry.security;

import dev.ferry.common.Actor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The static API tokens, kept as SHA-256 hashes only. A presented token is hashed and looked up by
 * its hash, so no plaintext is held in memory or compared byte by byte; the hash of a random token
 * of 32 bytes or more cannot be turned back into it.
 */
public final class StaticTokens {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final Pattern SUBJECT = Pattern.compile("^[A-Za-z0-9._@:-]{1,128}$");
    private static final Pattern ROLE = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    private final Map<String, SecurityProperties.StaticToken> byHash = new HashMap<>();
    private final Map<String, String> refused;
    private final Map<String, String> aliases;
    private final Clock clock;

    /** @throws IllegalStateException naming the first malformed or duplicate entry (Ferry does not start) */
    public StaticTokens(List<SecurityProperties.StaticToken> tokens, Clock clock) {
        this(tokens, Map.of(), Map.of(), clock);
    }

    /**
     * @param refused hashes of published tokens that are not accepted here → why, so that a request
     *     with one is logged as the attempt it is
     * @param aliases static token subject → the subject (a JWT's) of the same person
     */
    StaticTokens(
            List<SecurityProperties.StaticToken> tokens,
            Map<String, String> refused,
            Map<String, String> aliases,
            Clock clock) {
        this.refused = Map.copyOf(refused);
        this.aliases = Map.copyOf(aliases);
        this.clock = clock;
        for (int i = 0; i < tokens.size(); i++) {
            SecurityProperties.StaticToken token = tokens.get(i);
            String where = "ferry.security.tokens[" + i + "]";
            if (token.subject() == null || !SUBJECT.matcher(token.subject()).matches()) {
                throw new IllegalStateException(
                        where + ".subject must be 1 to 128 characters from A-Z a-z 0-9 . _ @ : -");
            }
            String hash = token.sha256() == null ? "" : token.sha256().toLowerCase(Locale.ROOT);
            if (!SHA256.matcher(hash).matches()) {
                throw new IllegalStateException(
                        where + ".sha256 must be 64 hex digits: printf %s \"$TOKEN\" | sha256sum");
            }
            if (token.roles().stream().anyMatch(role -> !ROLE.matcher(role).matches())) {
                throw new IllegalStateException(where + ".roles has a malformed role");
            }
            if (byHash.put(hash, token) != null) {
                throw new IllegalStateException(where + " repeats the hash of another token");
            }
        }
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    public int size() {
        return byHash.size();
    }

    public boolean contains(String sha256) {
        return byHash.containsKey(sha256.toLowerCase(Locale.ROOT));
    }

    /** Why this token, a published one, is not accepted here; empty for any other token. */
    Optional<String> refusal(String token) {
        return Optional.ofNullable(refused.get(sha256(token)));
    }

    /**
     * Whether a JWT naming {@code subject} would pass for a static token's holder without anyone
     * having said they are the same person: a static token has that subject and no alias makes it
     * {@code subject}. Separation of duties compares subjects, so such a JWT is refused.
     */
    boolean collidesWith(String subject) {
        return byHash.values().stream()
                .anyMatch(token -> token.subject().equals(subject) && !subject.equals(aliases.get(token.subject())));
    }

    /**
     * The caller the token stands for (its subject, or the subject it is an alias of), if it is
     * configured and not expired.
     */
    public Optional<Actor> resolve(String token) {
        SecurityProperties.StaticToken found = byHash.get(sha256(token));
        if (found == null) {
            return Optional.empty();
        }
        if (found.expiresAt() != null && !clock.instant().isBefore(found.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(new Actor(aliases.getOrDefault(found.subject(), found.subject()), found.roles()));
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes, as configured in {@code sha256}. */
    public static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
