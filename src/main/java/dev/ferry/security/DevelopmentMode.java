package dev.ferry.security;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Whether this instance runs as a developer's machine: the embedded database with the README's
 * development tokens on. Read from the environment alone, because the web server's address is
 * decided from it before any bean exists.
 */
final class DevelopmentMode {

    static final String DEV_TOKENS_ENABLED = "ferry.security.dev-tokens.enabled";

    private DevelopmentMode() {}

    /** The same condition as {@code EmbeddedDatabaseConfiguration}: no datasource URL. */
    static boolean usesEmbeddedDatabase(Environment environment) {
        String url = environment.getProperty("spring.datasource.url");
        return url == null || "__embedded__".equals(url);
    }

    /** The development tokens are accepted: switched on and on the embedded database. */
    static boolean devTokensAccepted(Environment environment) {
        boolean enabled =
                Binder.get(environment).bind(DEV_TOKENS_ENABLED, Boolean.class).orElse(false);
        return enabled && usesEmbeddedDatabase(environment);
    }
}
