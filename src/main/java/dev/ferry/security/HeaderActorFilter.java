package dev.ferry.security;

import dev.ferry.common.Actor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes the caller from {@code X-Ferry-User} and {@code X-Ferry-Roles}. A request without the user
 * header stays anonymous (reads are open); a malformed header is refused with a 400
 * {@code invalid-identity} rather than ignored, so a misconfigured proxy is noticed at once.
 *
 * <p>Not a bean on purpose: as a bean Spring Boot would also register it as a plain servlet filter
 * outside the security chain.
 */
public class HeaderActorFilter extends OncePerRequestFilter {

    public static final String USER_HEADER = "X-Ferry-User";
    public static final String ROLES_HEADER = "X-Ferry-Roles";

    private static final Pattern USER = Pattern.compile("^[A-Za-z0-9._@:-]{1,128}$");
    private static final Pattern ROLE = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    private final ProblemResponseWriter problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    public HeaderActorFilter(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> users = Collections.list(request.getHeaders(USER_HEADER));
        if (users.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        if (users.size() > 1 || !USER.matcher(users.get(0)).matches()) {
            refuse(request, response, USER_HEADER + " must be one value of 1 to 128 characters from"
                    + " A-Z a-z 0-9 . _ @ : -");
            return;
        }
        Set<String> roles = roles(request);
        if (roles == null) {
            refuse(request, response, ROLES_HEADER + " must be a comma-separated list of roles of 1 to 64"
                    + " characters from A-Z a-z 0-9 . _ : -");
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(authentication(new Actor(users.get(0), roles)));
        contexts.setContext(context);
        chain.doFilter(request, response);
    }

    /** The roles named in every {@code X-Ferry-Roles} header, or null if one is malformed. */
    private static Set<String> roles(HttpServletRequest request) {
        Set<String> roles = new LinkedHashSet<>();
        for (String header : Collections.list(request.getHeaders(ROLES_HEADER))) {
            for (String role : header.split(",")) {
                String trimmed = role.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (!ROLE.matcher(trimmed).matches()) {
                    return null;
                }
                roles.add(trimmed);
            }
        }
        return roles;
    }

    private static PreAuthenticatedAuthenticationToken authentication(Actor actor) {
        // ROLE_ prefix so hasRole('approver') works in method security and request rules.
        var authorities = actor.roles().stream().map(role -> new SimpleGrantedAuthority("ROLE_" + role)).toList();
        return new PreAuthenticatedAuthenticationToken(actor, "", authorities);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        problems.write(request, response, HttpStatus.BAD_REQUEST, ProblemResponseWriter.INVALID_IDENTITY,
                "Invalid identity", detail);
    }
}
