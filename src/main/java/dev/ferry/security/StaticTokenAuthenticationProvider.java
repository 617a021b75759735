package dev.ferry.security;

import dev.ferry.common.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

/**
 * Authenticates a bearer token found in {@link StaticTokens}. When JWTs are accepted too, a token
 * shaped like a JWT is left to the JWT provider (this one returns null for it).
 */
final class StaticTokenAuthenticationProvider implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(StaticTokenAuthenticationProvider.class);

    private final StaticTokens tokens;
    private final boolean jwtsElsewhere;

    StaticTokenAuthenticationProvider(StaticTokens tokens, boolean jwtsElsewhere) {
        this.tokens = tokens;
        this.jwtsElsewhere = jwtsElsewhere;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        if (jwtsElsewhere && JwtShapedTokenProvider.looksLikeJwt(token)) {
            return null;
        }
        tokens.refusal(token)
                .ifPresent(why -> log.warn("Refused a published token ({}) from {}", why, authentication.getDetails()));
        Actor actor = tokens.resolve(token)
                .orElseThrow(() -> new InvalidBearerTokenException("unknown or expired API token"));
        var authorities = actor.roles().stream()
                .map(role -> new SimpleGrantedAuthority(Roles.AUTHORITY_PREFIX + role))
                .toList();
        PreAuthenticatedAuthenticationToken result = new PreAuthenticatedAuthenticationToken(actor, null, authorities);
        result.setDetails(authentication.getDetails());
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
