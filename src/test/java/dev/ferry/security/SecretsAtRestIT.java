package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.Jobs;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Secrets are never stored in plain text: with the embedded database Ferry keeps a key of its own
 * (owner-only, reused after a restart); with an external database and no key, a secret is refused
 * with a problem and nothing is stored.
 */
class SecretsAtRestIT {

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: dbPassword, type: string, secret: true, required: false}
            phases:
              prepare:
                steps:
                  - {id: connect, action: noop, with: {message: "log in with ${params.dbPassword}"}}
            """;

    @Test
    void theEmbeddedDatabaseKeepsAKeyOfItsOwnAndSealsWithIt() throws Exception {
        Path directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "embedded-key-");
        int port = freePort();
        ServiceProcess.Spec spec = ServiceProcess.Spec.of(
                "embedded-key",
                null,
                "ferry.database.embedded.data-directory=" + directory.resolve("pgdata"),
                "ferry.database.embedded.port=" + port,
                // No key configured: the service must find one of its own.
                "ferry.security.secret-key=");
        String secret = "pw-" + UUID.randomUUID();
        Path keyFile = directory.resolve("secret.key");
        UUID id;
        String key;
        try (ServiceProcess service = spec.start()) {
            assertThat(keyFile).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                    .isEqualTo("rw-------");
            key = Files.readString(keyFile);
            String plan = Jobs.registerPlan(service.api(), "embedded-key", PLAN);
            id = Jobs.create(service.api(), "alice", plan, Map.of("dbPassword", secret));

            JdbcTemplate jdbc = embeddedJdbc(port);
            assertThat(jdbc.queryForObject(
                            "SELECT parameters ->> 'dbPassword' FROM migration_job WHERE id = ?", String.class, id))
                    .startsWith("sealed:v1:");
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM migration_job t WHERE t::text LIKE ?",
                            Integer.class,
                            "%" + secret + "%"))
                    .isZero();
            assertThat(Files.readString(service.log()))
                    .contains("Secrets are sealed with a new key kept in " + keyFile);
        }
        try (ServiceProcess again = spec.start()) {
            assertThat(Files.readString(keyFile)).isEqualTo(key);
            assertThat(Files.readString(again.log())).contains("Secrets are sealed with the key kept in " + keyFile);
            // The step opens the value sealed before the restart: the same key was reused.
            assertThat(again.api()
                            .as("alice")
                            .post("/api/v1/jobs/" + id + "/start", null)
                            .status())
                    .isEqualTo(200);
            JsonNode done = Jobs.awaitState(again.api().as("dashboard", "viewer"), id, "SUCCEEDED");
            assertThat(Jobs.step(done, "connect").get("status").asText()).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void anExternalDatabaseWithoutAKeyRefusesSecretsWithAProblem() throws Exception {
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        ServiceProcess.Spec spec = ServiceProcess.Spec.of("no-key", database, "ferry.security.secret-key=");
        try (ServiceProcess service = spec.start()) {
            Api api = service.api();
            String plan = Jobs.registerPlan(api, "no-key", PLAN);
            String secret = "pw-" + UUID.randomUUID();

            Api.Response refused = api.as("alice")
                    .post(
                            "/api/v1/jobs",
                            Map.of("plan", plan, "name", "with a secret", "parameters", Map.of("dbPassword", secret)));
            assertSecretKeyMissing(refused, "dbPassword");
            Api.Response webhook = api.as("alice")
                    .post(
                            "/api/v1/jobs",
                            Map.of(
                                    "plan",
                                    plan,
                                    "name",
                                    "webhook",
                                    "notifications",
                                    List.of(Map.of(
                                            "type",
                                            "webhook",
                                            "url",
                                            "https://hooks.example.com/ferry",
                                            "secret",
                                            "0123456789abcdef0123456789abcdef"))));
            assertSecretKeyMissing(webhook, "notifications[0]");
            Api.Response slack = api.as("alice")
                    .post(
                            "/api/v1/jobs",
                            Map.of(
                                    "plan",
                                    plan,
                                    "name",
                                    "slack",
                                    "notifications",
                                    List.of(Map.of(
                                            "type",
                                            "slack",
                                            "url",
                                            "https://hooks.slack.com/services/T000/B000/XXXXSECRET"))));
            assertSecretKeyMissing(slack, "notifications[0]");

            JdbcTemplate jdbc = database.jdbc();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM migration_job", Integer.class))
                    .isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM job_notification_target", Integer.class))
                    .isZero();
            assertThat(Files.readString(service.log()))
                    .contains("ferry.security.secret-key is not set")
                    .doesNotContain(secret);
            // A job without secrets is still accepted.
            assertThat(Jobs.create(api, "alice", plan, Map.of())).isNotNull();
        }
    }

    private static void assertSecretKeyMissing(Api.Response response, String naming) {
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).endsWith("/secret-key-missing");
        assertThat(response.json().get("detail").asText()).contains(naming).contains("ferry.security.secret-key");
    }

    private static JdbcTemplate embeddedJdbc(int port) {
        return new JdbcTemplate(
                new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", ""));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
