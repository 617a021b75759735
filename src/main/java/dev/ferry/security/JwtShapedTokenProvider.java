package dev.ferry.security;

import java.util.regex.Pattern;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/** Hands only JWT-shaped bearer tokens (three base64url parts) to the JWT provider it wraps. */
final class JwtShapedTokenProvider implements AuthenticationProvider {

    private static final Pattern JWS = Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$");

    private final AuthenticationProvider jwt;

    JwtShapedTokenProvider(AuthenticationProvider jwt) {
        this.jwt = jwt;
    }

    static boolean looksLikeJwt(String token) {
        return JWS.matcher(token).matches();
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        return looksLikeJwt(token) ? jwt.authenticate(authentication) : null;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
