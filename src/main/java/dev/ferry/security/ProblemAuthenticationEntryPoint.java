package dev.ferry.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * No valid credentials: 401 with {@code WWW-Authenticate: Bearer} (RFC 6750) and an RFC 9457
 * problem, {@code unauthenticated} when no token came, {@code invalid-token} when one came and was
 * refused. Why a token was refused is logged, not told: the caller learns only that it is unknown,
 * expired or not signed by a trusted issuer.
 */
public class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private static final Logger log = LoggerFactory.getLogger(ProblemAuthenticationEntryPoint.class);

    private final ProblemResponseWriter problems;

    public ProblemAuthenticationEntryPoint(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason)
            throws IOException {
        if (presentedToken(request, reason)) {
            log.debug(
                    "Bearer token refused for {} {}: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    reason.getMessage());
            response.setHeader(
                    HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"ferry\", error=\"invalid_token\", error_description=\"invalid or expired token\"");
            problems.write(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    ProblemResponseWriter.INVALID_TOKEN,
                    "Invalid token",
                    "The bearer token is unknown, expired, or not signed by a trusted issuer.");
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ferry\"");
        problems.write(
                request,
                response,
                HttpStatus.UNAUTHORIZED,
                ProblemResponseWriter.UNAUTHENTICATED,
                "Unauthenticated",
                "This request needs credentials: send 'Authorization: Bearer <token>' "
                        + "(an API token or a JWT from the configured issuer).");
    }

    private static boolean presentedToken(HttpServletRequest request, AuthenticationException reason) {
        if (reason instanceof InvalidBearerTokenException || reason instanceof OAuth2AuthenticationException) {
            return true;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && !header.isBlank();
    }
}
