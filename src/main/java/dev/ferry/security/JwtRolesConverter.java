package dev.ferry.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Turns a verified JWT into the caller: the name from the configured subject claim, the roles from
 * the configured roles claim (a dotted path such as {@code realm_access.roles}). Values that are not
 * well-formed role names are ignored; a token without a subject is refused.
 */
final class JwtRolesConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private static final Pattern ROLE = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    /** Letters, digits and the punctuation providers put in subjects ({@code auth0|5f7c}, {@code a+b@x.org}). */
    private static final Pattern SUBJECT = Pattern.compile("^[A-Za-z0-9._@:|+/=-]{1,200}$");

    private static final Logger log = LoggerFactory.getLogger(JwtRolesConverter.class);

    private final SecurityProperties.Jwt settings;
    private final Predicate<String> staticSubject;

    JwtRolesConverter(SecurityProperties.Jwt settings) {
        this(settings, subject -> false);
    }

    /** @param staticSubject true for a subject a static token holds, not aliased to this JWT subject */
    JwtRolesConverter(SecurityProperties.Jwt settings, Predicate<String> staticSubject) {
        this.settings = settings;
        this.staticSubject = staticSubject;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Object subject = claim(jwt.getClaims(), settings.subjectClaim());
        if (!(subject instanceof String name) || !SUBJECT.matcher(name).matches()) {
            throw new InvalidBearerTokenException("the token has no usable '" + settings.subjectClaim() + "' claim");
        }
        if (staticSubject.test(name)) {
            // Two credentials, one name: four-eyes would count them as one person, or as two, by accident.
            log.warn(
                    "Refused a JWT for subject {}: a static API token has the same subject; if they are the same "
                            + "person set ferry.security.subject-aliases.{}={}",
                    name,
                    name,
                    name);
            throw new InvalidBearerTokenException("the JWT subject is also a static API token's subject");
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String role : roles(claim(jwt.getClaims(), settings.rolesClaim()))) {
            authorities.add(new SimpleGrantedAuthority(Roles.AUTHORITY_PREFIX + role));
        }
        return new JwtAuthenticationToken(jwt, authorities, name);
    }

    private Set<String> roles(Object claim) {
        Collection<?> values;
        if (claim instanceof Collection<?> list) {
            values = list;
        } else if (claim instanceof String text) {
            values = List.of(text.split("[\\s,]+"));
        } else {
            values = List.of();
        }
        Set<String> roles = new LinkedHashSet<>();
        for (Object value : values) {
            if (value instanceof String role && role.startsWith(settings.rolePrefix())) {
                String name = role.substring(settings.rolePrefix().length());
                if (ROLE.matcher(name).matches()) {
                    roles.add(name);
                }
            }
        }
        return roles;
    }

    /** The value at a dotted path; a claim whose own name contains the dots wins. */
    static Object claim(Map<String, Object> claims, String path) {
        if (claims.containsKey(path)) {
            return claims.get(path);
        }
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }
}
