package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.Actor;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

class StaticTokensTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC);

    private static SecurityProperties.StaticToken token(String subject, String plaintext, Instant expiresAt) {
        return new SecurityProperties.StaticToken(
                subject, Set.of("operator"), StaticTokens.sha256(plaintext), expiresAt);
    }

    @Test
    void theHashOfAPresentedTokenFindsItsSubjectUntilItExpires() {
        StaticTokens tokens = new StaticTokens(
                List.of(token("ci", "s3cr3t", null), token("old", "gone", Instant.parse("2026-11-22T23:59:59Z"))), NOW);
        assertThat(tokens.resolve("s3cr3t")).contains(new Actor("ci", Set.of("operator")));
        assertThat(tokens.resolve("S3CR3T")).isEmpty();
        assertThat(tokens.resolve("gone")).isEmpty();
        // What `printf %s "$TOKEN" | sha256sum` prints.
        assertThat(StaticTokens.sha256("ferry-dev-alice"))
                .isEqualTo("6f71f23106702ae64c0078c8577a0089c8a68c1d8016ea672bfa91a76ceb4238");
    }

    @Test
    void malformedEntriesStopTheStartWithTheirPlace() {
        assertThatThrownBy(() -> new StaticTokens(
                        List.of(new SecurityProperties.StaticToken("ci", Set.of(), "plaintext-by-mistake", null)), NOW))
                .hasMessageContaining("ferry.security.tokens[0].sha256");
        assertThatThrownBy(() -> new StaticTokens(List.of(token("a", "x", null), token("b", "x", null)), NOW))
                .hasMessageContaining("repeats");
    }

    @Test
    void developmentTokensWorkOnlyOnTheEmbeddedDatabase() {
        var dev = new SecurityProperties.DevTokens(true, List.of(token("alice", "ferry-dev-alice", null)));
        var properties = new SecurityProperties(
                List.of(), dev, new SecurityProperties.Jwt("sub", "roles", ""), null, false, Set.of(), Map.of());
        var clocks = new StaticListableBeanFactory().getBeanProvider(Clock.class);
        SecurityConfiguration configuration = new SecurityConfiguration();

        assertThat(configuration
                        .staticTokens(properties, new MockEnvironment(), clocks)
                        .resolve("ferry-dev-alice"))
                .isPresent();
        MockEnvironment production =
                new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/ferry");
        assertThat(configuration.staticTokens(properties, production, clocks).resolve("ferry-dev-alice"))
                .isEmpty();

        var copied = new SecurityProperties(
                List.of(token("alice", "ferry-dev-alice", null)),
                dev,
                properties.jwt(),
                null,
                false,
                Set.of(),
                Map.of());
        assertThatThrownBy(() -> configuration.staticTokens(copied, production, clocks))
                .hasMessageContaining("development token");
    }

    @Test
    void anAliasNamesTheTokensPersonAndOnlyAnAliasLetsAJwtShareASubject() {
        StaticTokens tokens = new StaticTokens(
                List.of(token("ci-alice", "ci", null), token("robot", "r", null)),
                Map.of(),
                Map.of("ci-alice", "alice"),
                NOW);
        assertThat(tokens.resolve("ci")).contains(new Actor("alice", Set.of("operator")));
        assertThat(tokens.resolve("r")).contains(new Actor("robot", Set.of("operator")));
        assertThat(tokens.collidesWith("robot"))
                .as("a namesake of an unaliased token")
                .isTrue();
        assertThat(tokens.collidesWith("alice")).isFalse();
        assertThat(tokens.collidesWith("ci-alice"))
                .as("the alias says ci-alice is alice, not ci-alice")
                .isTrue();
        StaticTokens same =
                new StaticTokens(List.of(token("alice", "a", null)), Map.of(), Map.of("alice", "alice"), NOW);
        assertThat(same.collidesWith("alice")).isFalse();
    }
}
