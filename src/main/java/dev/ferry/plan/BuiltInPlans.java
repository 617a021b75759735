package dev.ferry.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Registers every {@code classpath*:plans/*.yaml} as a built-in plan (actor {@code system}) when
 * the service starts. A plan whose exact source is stored already is not even parsed; registration
 * is idempotent besides, so each start only adds versions whose content changed, and replicas
 * starting together settle on one row per version.
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

    private final String directory;

    /**
     * @param directory {@code ferry.plans.directory}: a folder of the operator's own plans
     *     ({@code *.yaml}, e.g. a mounted ConfigMap), registered the same way at every start
     */
    @Autowired
    public BuiltInPlans(PlanCatalog catalog, PlanProperties properties) {
        this(catalog, properties.directory() == null ? "" : properties.directory());
    }

    BuiltInPlans(PlanCatalog catalog, String directory) {
        this.catalog = catalog;
        this.directory = directory;
        this.resources = new PathMatchingResourcePatternResolver(BuiltInPlans.class.getClassLoader());
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (Resource resource : builtInResources()) {
            // Unchanged since it was stored: nothing to parse, validate or register.
            Optional<String> stored = catalog.registeredAs(read(resource));
            if (stored.isPresent()) {
                log.info("Built-in plan {} unchanged", stored.get());
                continue;
            }
            RegisteredPlan registered = register(resource, true);
            StoredPlan plan = registered.plan();
            log.info(
                    "Built-in plan {} version {} {}",
                    plan.name(),
                    plan.version(),
                    registered.created() ? "registered" : "already registered");
        }
        for (Resource resource : configuredResources()) {
            StoredPlan plan = register(resource, false).plan();
            log.info("Configured plan {} version {} from {}", plan.name(), plan.version(), resource.getFilename());
        }
    }

    private static String read(Resource resource) {
        try {
            return resource.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in plan " + resource.getDescription(), e);
        }
    }

    private RegisteredPlan register(Resource resource, boolean builtIn) {
        try {
            String source = resource.getContentAsString(StandardCharsets.UTF_8);
            return catalog.register(source, SourceType.YAML, builtIn ? "system" : "config", builtIn);
        } catch (PlanInvalidException e) {
            throw new IllegalStateException(
                    (builtIn ? "built-in" : "configured") + " plan " + resource.getFilename()
                            + " is invalid:\n"
                            + e.errors().stream()
                                    .map(p -> "  " + p.location() + ": " + p.message())
                                    .collect(Collectors.joining("\n")),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in plan " + resource.getDescription(), e);
        }
    }

    Resource[] builtInResources() {
        return sorted(LOCATION);
    }

    private Resource[] configuredResources() {
        if (directory == null || directory.isBlank()) {
            return new Resource[0];
        }
        if (!Files.isDirectory(Path.of(directory))) {
            throw new IllegalStateException("ferry.plans.directory " + directory + " is not a directory");
        }
        String base = Path.of(directory).toAbsolutePath().toUri().toString();
        Resource[] yaml = sorted(base + "*.yaml");
        Resource[] yml = sorted(base + "*.yml");
        Resource[] all = Arrays.copyOf(yaml, yaml.length + yml.length);
        System.arraycopy(yml, 0, all, yaml.length, yml.length);
        return all;
    }

    // Sorted so that start-up logs and version numbers do not depend on listing order.
    private Resource[] sorted(String pattern) {
        try {
            Resource[] found = resources.getResources(pattern);
            Arrays.sort(found, Comparator.comparing(r -> String.valueOf(r.getFilename())));
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + pattern, e);
        }
    }
}
