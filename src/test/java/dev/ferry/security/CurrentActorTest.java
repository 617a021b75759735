package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.Actor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

class CurrentActorTest {

    @Test
    void noAuthenticationOrAnonymousIsTheAnonymousActor() {
        assertThat(CurrentActor.from(null)).isEqualTo(CurrentActor.ANONYMOUS);
        assertThat(CurrentActor.from(new AnonymousAuthenticationToken(
                        "k", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"))))
                .isEqualTo(new Actor("anonymous", Set.of()));
    }

    @Test
    void anActorPrincipalIsTakenAsIs() {
        Actor ana = new Actor("ana", Set.of("approver"));
        assertThat(CurrentActor.from(UsernamePasswordAuthenticationToken.authenticated(ana, null, List.of())))
                .isSameAs(ana);
    }

    @Test
    void anyOtherAuthenticationMapsNameAndRoles() {
        // As a JWT or OIDC authentication would look: the mechanism can change without touching controllers.
        var token = UsernamePasswordAuthenticationToken.authenticated(
                "bob",
                null,
                List.of(new SimpleGrantedAuthority("ROLE_operator"), new SimpleGrantedAuthority("SCOPE_read")));
        assertThat(CurrentActor.from(token)).isEqualTo(new Actor("bob", Set.of("operator")));
    }

    @Test
    void anUnauthenticatedTokenIsAnonymous() {
        assertThat(CurrentActor.from(UsernamePasswordAuthenticationToken.unauthenticated("eve", "pw")))
                .isEqualTo(CurrentActor.ANONYMOUS);
    }
}
