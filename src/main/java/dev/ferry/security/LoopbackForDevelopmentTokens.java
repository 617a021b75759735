package dev.ferry.security;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * While the published development tokens are accepted, the server (and a separate management
 * server) listens on 127.0.0.1 only, unless {@code server.address} is set: whoever reaches the
 * port could otherwise operate and approve with tokens printed in the README. An explicit address
 * is honoured, and {@link SecurityConfiguration} warns about it at start-up.
 *
 * <p>An environment post-processor, because the web server binds before any bean could decide.
 */
public class LoopbackForDevelopmentTokens implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "ferry-dev-tokens-loopback";
    static final String LOOPBACK = "127.0.0.1";

    @Override
    public int getOrder() {
        // After application.yml and profile documents: the flag and the datasource live there.
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!DevelopmentMode.devTokensAccepted(environment)) {
            return;
        }
        Map<String, Object> loopback = new LinkedHashMap<>();
        if (!environment.containsProperty("server.address")) {
            loopback.put("server.address", LOOPBACK);
        }
        // Spring Boot refuses a management address without a management port of its own.
        if (environment.containsProperty("management.server.port")
                && !environment.containsProperty("management.server.address")) {
            loopback.put("management.server.address", LOOPBACK);
        }
        if (!loopback.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, loopback));
        }
    }

    /** True when the server address is the one this post-processor chose, not the user's. */
    static boolean chose(ConfigurableEnvironment environment) {
        var source = environment.getPropertySources().get(PROPERTY_SOURCE);
        return source != null && source.containsProperty("server.address");
    }
}
