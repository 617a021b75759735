package dev.ferry.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Tokens whose values are published (the README's {@code ferry-dev-*}, the Compose file's
 * {@code ferry-compose-*}) and where they may be used. Development tokens: only on the embedded
 * database, and then on loopback unless {@code server.address} says otherwise (a loud warning).
 * Compose tokens: only with {@code ferry.security.compose-stack=true}, which the Compose file sets;
 * anywhere else they are dropped from the table, so a request with one is a 401.
 */
final class PublishedTokens {

    private static final Logger log = LoggerFactory.getLogger(PublishedTokens.class);

    private final SecurityProperties properties;
    private final ConfigurableEnvironment environment;

    PublishedTokens(SecurityProperties properties, ConfigurableEnvironment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /**
     * The table: configured tokens minus refused Compose tokens, plus the development tokens where
     * they apply; published tokens refused here are remembered, so using one is logged.
     */
    StaticTokens tokens(Clock clock) {
        StaticTokens dev = new StaticTokens(properties.devTokens().tokens(), clock);
        Map<String, String> refused = new HashMap<>();
        boolean devAccepted = properties.devTokens().enabled() && DevelopmentMode.usesEmbeddedDatabase(environment);
        if (!devAccepted) {
            properties
                    .devTokens()
                    .tokens()
                    .forEach(token -> refused.put(
                            token.sha256().toLowerCase(Locale.ROOT),
                            "development token of " + token.subject() + ", accepted only on the embedded database"));
        }
        if (!properties.composeStack()) {
            properties
                    .composeTokens()
                    .forEach(hash -> refused.put(
                            hash, "docker/compose.yaml token, accepted only where ferry.security.compose-stack=true"));
        }
        return new StaticTokens(accepted(dev), refused, properties.subjectAliases(), clock);
    }

    private List<SecurityProperties.StaticToken> accepted(StaticTokens dev) {
        List<SecurityProperties.StaticToken> tokens = new ArrayList<>();
        for (SecurityProperties.StaticToken token : properties.tokens()) {
            if (isComposeToken(token) && !properties.composeStack()) {
                log.warn(
                        "ferry.security.tokens: the token of subject {} is published in docker/compose.yaml and is "
                                + "refused outside that stack (ferry.security.compose-stack is not true); generate a new "
                                + "one",
                        token.subject());
            } else {
                tokens.add(token);
            }
        }
        if (properties.devTokens().enabled() && DevelopmentMode.usesEmbeddedDatabase(environment)) {
            warnAboutExposure();
            tokens.addAll(properties.devTokens().tokens());
        } else {
            if (properties.devTokens().enabled()) {
                log.info("Development API tokens ignored: they are honoured only on the embedded database");
            }
            // A well-known token copied into a real deployment's configuration is refused outright.
            for (SecurityProperties.StaticToken token : properties.tokens()) {
                if (token.sha256() != null && dev.contains(token.sha256())) {
                    throw new IllegalStateException("ferry.security.tokens holds a development token (subject "
                            + token.subject() + "); its value is published in the README, generate a new one");
                }
            }
        }
        return tokens;
    }

    private boolean isComposeToken(SecurityProperties.StaticToken token) {
        return token.sha256() != null
                && properties.composeTokens().contains(token.sha256().toLowerCase(Locale.ROOT));
    }

    private void warnAboutExposure() {
        String address = environment.getProperty("server.address");
        if (LoopbackForDevelopmentTokens.chose(environment) || isLoopback(address)) {
            log.warn(
                    "Development API tokens are accepted (ferry.security.dev-tokens, embedded database): "
                            + "listening on {} only",
                    address);
            return;
        }
        log.warn(
                """

                ************************************************************************
                DEVELOPMENT TOKENS ARE ACCEPTED ON {}
                The ferry-dev-* tokens (an admin, an operator and two approvers) are
                published in the README. Anyone who reaches this port can create, run
                and APPROVE migrations with them, and satisfy four-eyes alone.
                Remove server.address to listen on 127.0.0.1 only, or set
                ferry.security.dev-tokens.enabled=false and configure your own tokens.
                ************************************************************************""",
                address);
    }

    private static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return Arrays.stream(InetAddress.getAllByName(address.trim())).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
