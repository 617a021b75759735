package dev.ferry.security;

import dev.ferry.common.Actor;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a controller method parameter of type {@link Actor} the caller. Works from any Spring
 * Security {@link Authentication}, not only the header one, so a change of mechanism does not reach
 * controllers. Without an identity (open reads) the actor is {@link #ANONYMOUS}.
 */
public class CurrentActor implements HandlerMethodArgumentResolver {

    public static final Actor ANONYMOUS = new Actor("anonymous", Set.of());
    private static final String ROLE_PREFIX = "ROLE_";

    /** The caller of the current request thread, or {@link #ANONYMOUS}. */
    public static Actor current() {
        return from(SecurityContextHolder.getContext().getAuthentication());
    }

    static Actor from(Authentication authentication) {
        if (authentication == null
                || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return ANONYMOUS;
        }
        if (authentication.getPrincipal() instanceof Actor actor) {
            return actor;
        }
        Set<String> roles = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority != null && authority.startsWith(ROLE_PREFIX))
                .map(authority -> authority.substring(ROLE_PREFIX.length()))
                .collect(Collectors.toSet());
        return new Actor(authentication.getName(), roles);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Actor.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer container,
            NativeWebRequest request,
            WebDataBinderFactory binders) {
        return current();
    }
}
