package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

class JwtRolesConverterTest {

    private static Jwt jwt(Map<String, Object> claims) {
        return Jwt.withTokenValue("t")
                .header("alg", "RS256")
                .claims(c -> c.putAll(claims))
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60))
                .build();
    }

    private static Actor actor(SecurityProperties.Jwt settings, Map<String, Object> claims) {
        return CurrentActor.from(new JwtRolesConverter(settings).convert(jwt(claims)));
    }

    @Test
    void rolesFromANestedClaimWithAPrefixStripped() {
        var keycloak = new SecurityProperties.Jwt("preferred_username", "realm_access.roles", "ferry-");
        assertThat(actor(
                        keycloak,
                        Map.of(
                                "sub",
                                "f3c1",
                                "preferred_username",
                                "ana",
                                "realm_access",
                                Map.of("roles", List.of("ferry-approver", "ferry-viewer", "offline_access")))))
                .isEqualTo(new Actor("ana", Set.of("approver", "viewer")));
    }

    @Test
    void aSpaceSeparatedStringClaimAndAMissingClaim() {
        var settings = new SecurityProperties.Jwt("sub", "groups", "");
        assertThat(actor(settings, Map.of("sub", "bob", "groups", "operator approver"))
                        .roles())
                .containsExactlyInAnyOrder("operator", "approver");
        assertThat(actor(settings, Map.of("sub", "bob")).roles()).isEmpty();
    }

    @Test
    void providerSubjectsKeepTheirPunctuation() {
        var settings = new SecurityProperties.Jwt("sub", "roles", "");
        assertThat(actor(settings, Map.of("sub", "auth0|5f7c8ec7", "roles", List.of("viewer")))
                        .name())
                .isEqualTo("auth0|5f7c8ec7");
        assertThatThrownBy(() -> actor(settings, Map.of("sub", "two words"))).hasMessageContaining("sub");
    }

    @Test
    void aTokenWithoutTheSubjectClaimIsRefused() {
        var settings = new SecurityProperties.Jwt("email", "roles", "");
        assertThatThrownBy(() -> actor(settings, Map.of("sub", "bob"))).hasMessageContaining("email");
    }

    @Test
    void aJwtSharingAnUnaliasedStaticTokensSubjectIsRefused() {
        var settings = new SecurityProperties.Jwt("sub", "roles", "");
        JwtRolesConverter converter = new JwtRolesConverter(settings, "robot"::equals);
        assertThatThrownBy(() -> converter.convert(jwt(Map.of("sub", "robot"))))
                .isInstanceOf(InvalidBearerTokenException.class);
        assertThat(CurrentActor.from(converter.convert(jwt(Map.of("sub", "ana"))))
                        .name())
                .isEqualTo("ana");
    }
}
