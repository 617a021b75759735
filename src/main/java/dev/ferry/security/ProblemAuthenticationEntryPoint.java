package dev.ferry.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/** A request that needs an identity came without one: 401 {@code unauthenticated}. */
public class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final ProblemResponseWriter problems;

    public ProblemAuthenticationEntryPoint(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason)
            throws IOException {
        problems.write(request, response, HttpStatus.UNAUTHORIZED, ProblemResponseWriter.UNAUTHENTICATED,
                "Unauthenticated", "This request changes something, so it needs an identity: send the "
                        + HeaderActorFilter.USER_HEADER + " header (and " + HeaderActorFilter.ROLES_HEADER
                        + " if the action needs a role).");
    }
}
