package dev.ferry.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real service as a separate JVM ({@code java -jar} of the packaged jar), for tests that kill
 * it, stop its database or run several replicas: {@link #kill()} is SIGKILL, {@link #terminate()}
 * SIGTERM. Each launch logs to its own file under {@code target/service-logs/}. A {@link Spec} can
 * be launched again after a kill, as a fresh process on the same database.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final AtomicInteger LAUNCHES = new AtomicInteger();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Spec spec;
    private final Process process;
    private final int port;
    private final Path log;
    private Duration startedIn;

    private ServiceProcess(Spec spec, Process process, int port, Path log) {
        this.spec = spec;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** How to authenticate a request as {@code user} with {@code roles}: the one place that knows. */
    public static Api authenticated(Api api, String user, String... roles) {
        return api.as(user, roles);
    }

    /** Extra settings a child process needs so that {@link #authenticated} requests are accepted. */
    static List<String> authProperties() {
        return TestTokens.settings();
    }

    /** The value {@link Spec#without} gives a setting: the launcher leaves the setting out. */
    private static final String UNSET = "\u0000unset";

    /** JVM options of test launches: quick to start and small, not fast (benchmarks set their own). */
    static final List<String> TEST_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx384m");

    /**
     * What to launch: a name (for logs), the database ({@code null}: the service's own embedded
     * PostgreSQL, as a developer starts it), extra {@code key=value} settings and JVM options.
     */
    public record Spec(
            String name,
            TestDatabase.Coordinates database,
            List<String> properties,
            List<String> jvmOptions,
            Path jar) {

        public static Spec of(String name, TestDatabase.Coordinates database, String... properties) {
            return new Spec(name, database, List.of(properties), TEST_JVM, null);
        }

        /** The same spec with more settings (later ones win). */
        public Spec with(String... more) {
            List<String> all = new ArrayList<>(properties);
            all.addAll(List.of(more));
            return new Spec(name, database, all, jvmOptions, jar);
        }

        /**
         * The same spec without {@code key}, even one the launcher sets by default (such as
         * {@code server.address}): for tests of what the service does when it is not set.
         */
        public Spec without(String key) {
            List<String> all = new ArrayList<>(properties);
            all.add(key + "=" + UNSET);
            return new Spec(name, database, all, jvmOptions, jar);
        }

        /** The same spec with these JVM options instead of the test ones. */
        public Spec jvm(String... options) {
            return new Spec(name, database, properties, List.of(options), jar);
        }

        /** The same spec launching this jar (e.g. one extracted for class data sharing) instead of the built one. */
        public Spec jar(Path launched) {
            return new Spec(name, database, properties, jvmOptions, launched);
        }

        /** Starts a process and waits until its readiness probe answers UP. */
        public ServiceProcess start() {
            return ServiceProcess.launch(this);
        }
    }

    private static ServiceProcess launch(Spec spec) {
        int port = freePort();
        Path log = Path.of("target", "service-logs", spec.name() + "-" + LAUNCHES.incrementAndGet() + ".log")
                .toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(spec.jvmOptions());
        Path launched = spec.jar() == null ? jar() : spec.jar();
        if (spec.jar() == null && spec.jvmOptions().equals(TEST_JVM)) {
            Optional<TestClassDataSharing.Launch> shared =
                    TestClassDataSharing.forTests(launched, TEST_JVM, trainingSettings());
            if (shared.isPresent()) {
                launched = shared.get().jar();
                command.add("-XX:SharedArchiveFile=" + shared.get().archive());
            }
        }
        command.addAll(List.of("-jar", launched.toString()));
        settings(spec, port).forEach(setting -> command.add("--" + setting));
        Instant begin = Instant.now();
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("AWS_ACCESS_KEY_ID", "testing");
            env.put("AWS_SECRET_ACCESS_KEY", "testing");
            env.put("AWS_REGION", AwsEmulator.REGION);
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            ServiceProcess service = new ServiceProcess(spec, process, port, log);
            service.awaitReady(STARTUP);
            service.startedIn = Duration.between(begin, Instant.now());
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + spec.name(), e);
        }
    }

    /** A start that only loads what a test launch loads: a database of its own, no AWS calls. */
    private static List<String> trainingSettings() {
        return settings(
                Spec.of("cds-training", TestDatabase.newDatabase(), "ferry.aws.endpoint=http://127.0.0.1:9"), 0);
    }

    private static List<String> settings(Spec spec, int port) {
        TestDatabase.Coordinates db = spec.database();
        List<String> all = new ArrayList<>();
        if (db != null) {
            all.addAll(List.of(
                    "spring.datasource.url=" + db.url(),
                    "spring.datasource.username=" + db.username(),
                    "spring.datasource.password=" + db.password()));
        }
        all.addAll(List.of(
                "server.port=" + port,
                "server.address=127.0.0.1",
                "spring.jmx.enabled=false",
                "ferry.worker.fallback-poll=PT2S",
                "ferry.aws.region=" + AwsEmulator.REGION));
        // The emulator starts on first use: not at all for a service that is given another endpoint.
        if (spec.properties().stream().noneMatch(p -> p.startsWith("ferry.aws.endpoint="))) {
            all.add("ferry.aws.endpoint=" + AwsEmulator.endpoint());
        }
        all.addAll(authProperties());
        all.addAll(spec.properties());
        // A key given twice on the command line would bind as "a,b": the later setting wins instead.
        Map<String, String> byKey = new LinkedHashMap<>();
        all.forEach(setting -> byKey.put(setting.substring(0, setting.indexOf('=')), setting));
        return byKey.values().stream()
                .filter(setting -> !setting.endsWith("=" + UNSET))
                .toList();
    }

    /** Launches the same spec again (after a kill or stop): a new process, a new port and log. */
    public ServiceProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(spec.name() + " is still running");
        }
        return spec.start();
    }

    public Api api() {
        return new Api(baseUri().toString());
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** From launch to readiness UP. */
    public Duration startedIn() {
        return startedIn;
    }

    /** SIGKILL: no shutdown hook, no graceful stop; waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: the service shuts down gracefully; use {@link #awaitExit} to see how it ended. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end and returns its exit code. */
    public int awaitExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(spec.name() + " did not exit within " + atMost + "; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The readiness probe's status code now (0 when nothing answers). */
    public int readiness() {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(baseUri().resolve("/actuator/health/readiness"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private void awaitReady(Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(25)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            spec.name() + " exited with " + process.exitValue() + "; see " + log);
                }
                return readiness() == 200;
            });
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException(spec.name() + " was not ready within " + atMost + "; see " + log);
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        if (spec.database() == null) {
            // On its embedded database the service runs a PostgreSQL server that pg_ctl detached
            // from it: a SIGKILL would leave that server running, a graceful stop stops it too.
            terminate();
            try {
                awaitExit(Duration.ofSeconds(60));
                return;
            } catch (IllegalStateException stuck) {
                // killed below
            }
        }
        kill();
    }

    /** The packaged service jar. */
    public static Path jar() {
        String configured = System.getProperty("ferry.jar");
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("ferry-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/ferry-*.jar: run ./mvnw package first"))
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sleeps until {@code instant} (returns at once if it has passed). */
    public static void sleepUntil(Instant instant) {
        Duration left = Duration.between(Instant.now(), instant);
        if (!left.isNegative()) {
            sleep(left);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
