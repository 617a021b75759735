package dev.ferry.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The caller is known but may not do this: 403 {@code forbidden}. The exception's own message is
 * not echoed, since it may describe rules the caller need not see.
 */
public class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    private final ProblemResponseWriter problems;

    public ProblemAccessDeniedHandler(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        var actor = CurrentActor.current();
        problems.write(
                request,
                response,
                HttpStatus.FORBIDDEN,
                ProblemResponseWriter.FORBIDDEN,
                "Forbidden",
                actor.name() + " (roles " + actor.roles().stream().sorted().toList() + ") is not allowed to "
                        + request.getMethod() + " " + request.getRequestURI() + "; it needs another role.");
    }
}
