package dev.ferry.support;

import dev.ferry.FerryApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A whole Ferry service started by a test, on its own port, for tests that need more than one
 * engine or a restart: two of them on one database behave like two replicas.
 */
public final class Engine implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private Engine(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts an engine on {@code database}; {@code properties} are extra {@code key=value} settings. */
    public static Engine start(TestDatabase.Coordinates database, String... properties) {
        return start(settings(database, properties));
    }

    private static List<String> settings(TestDatabase.Coordinates database, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.datasource.url=" + database.url(),
                "spring.datasource.username=" + database.username(),
                "spring.datasource.password=" + database.password(),
                "server.port=0",
                "server.address=127.0.0.1",
                "ferry.worker.fallback-poll=PT2S",
                "ferry.notifications.allow-private-networks=true",
                "ferry.aws.endpoint=" + AwsEmulator.endpoint(),
                "ferry.aws.region=" + AwsEmulator.REGION));
        all.addAll(List.of(properties));
        return all;
    }

    /** Starts an engine with exactly these settings (no datasource unless given). */
    public static Engine start(List<String> properties) {
        return new Engine(new SpringApplicationBuilder(FerryApplication.class)
                .properties(withTestCredentials(properties))
                .run());
    }

    /** Like {@link #start(TestDatabase.Coordinates, String...)}, with {@code clock} as the service's clock. */
    public static Engine startWithMovableClock(
            MovableClock clock, TestDatabase.Coordinates database, String... properties) {
        return new Engine(new SpringApplicationBuilder(FerryApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("clock", clock))
                .properties(withTestCredentials(settings(database, properties)))
                .run());
    }

    /** The test key and static test tokens ({@link TestTokens}) first, so a test's own settings win. */
    private static String[] withTestCredentials(List<String> properties) {
        List<String> all = new ArrayList<>(TestTokens.settings());
        all.addAll(properties);
        return all.toArray(String[]::new);
    }

    /** A client that reads as a viewer; {@code api().as(user, roles...)} for anything else. */
    public Api api() {
        return Api.viewer("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    public JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** A graceful stop: in-flight steps record their results first. */
    @Override
    public void close() {
        context.close();
    }
}
