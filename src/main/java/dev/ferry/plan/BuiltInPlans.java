package dev.ferry.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Registers every {@code classpath*:plans/*.yaml} as a built-in plan (actor {@code system}) when
 * the service starts. Registration is idempotent, so each start only adds versions whose content
 * changed, and replicas starting together settle on one row per version.
 *
 * <p>Why {@link SmartInitializingSingleton}: it runs once every singleton exists — after Flyway
 * has migrated, since the JPA beans depend on it — but before any {@code SmartLifecycle} starts,
 * i.e. before the web server accepts requests and before background workers begin. An
 * {@code ApplicationRunner} would run only after both. An invalid built-in plan therefore stops
 * start-up before anything can use it, with its problems in the message.
 */
@Component
public class BuiltInPlans implements SmartInitializingSingleton {

    static final String LOCATION = "classpath*:plans/*.yaml";
    private static final Logger log = LoggerFactory.getLogger(BuiltInPlans.class);

    private final PlanCatalog catalog;
    private final ResourcePatternResolver resources;

    public BuiltInPlans(PlanCatalog catalog) {
        this.catalog = catalog;
        this.resources = new PathMatchingResourcePatternResolver(BuiltInPlans.class.getClassLoader());
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (Resource resource : builtInResources()) {
            RegisteredPlan registered = register(resource);
            StoredPlan plan = registered.plan();
            log.info("Built-in plan {} version {} {}", plan.name(), plan.version(),
                    registered.created() ? "registered" : "already registered");
        }
    }

    private RegisteredPlan register(Resource resource) {
        try {
            String source = resource.getContentAsString(StandardCharsets.UTF_8);
            return catalog.register(source, SourceType.YAML, "system", true);
        } catch (PlanInvalidException e) {
            throw new IllegalStateException("built-in plan " + resource.getFilename() + " is invalid:\n"
                    + e.errors().stream().map(p -> "  " + p.location() + ": " + p.message())
                            .collect(Collectors.joining("\n")), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in plan " + resource.getDescription(), e);
        }
    }

    // Sorted so that start-up logs and version numbers do not depend on classpath order.
    Resource[] builtInResources() {
        try {
            Resource[] found = resources.getResources(LOCATION);
            Arrays.sort(found, Comparator.comparing(r -> String.valueOf(r.getFilename())));
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + LOCATION, e);
        }
    }
}
