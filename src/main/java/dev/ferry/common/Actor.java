package dev.ferry.common;

import java.util.Collection;
import java.util.Set;

/**
 * Who asked: a person, {@code system}, or an alert source. How a request's actor is established
 * is the security package's business; the domain only reads this.
 */
public record Actor(String name, Set<String> roles) {

    public static final Actor SYSTEM = new Actor("system", Set.of());

    public Actor {
        roles = Set.copyOf(roles);
    }

    public boolean hasAnyRole(Collection<String> wanted) {
        return wanted.isEmpty() || wanted.stream().anyMatch(roles::contains);
    }
}
