package dev.ferry.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.Engine;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The service's own default: an embedded PostgreSQL that is durable and keeps its data across restarts. */
class EmbeddedDatabaseIT {

    @Test
    void withoutDatasourceTheServiceRunsADurableEmbeddedPostgresThatSurvivesRestarts() throws Exception {
        Path directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "embedded-it-");
        List<String> settings = List.of(
                "server.port=0", "server.address=127.0.0.1", "ferry.database.embedded.data-directory=" + directory);
        UUID id;
        try (Engine engine = Engine.start(settings)) {
            assertThat(engine.context().getBeanNamesForType(EmbeddedPostgres.class))
                    .hasSize(1);
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                assertThat(engine.jdbc().queryForObject("SHOW " + setting, String.class))
                        .as(setting)
                        .isEqualTo("on");
            }
            assertThat(engine.jdbc().queryForObject("SHOW server_version", String.class))
                    .startsWith("16.");
            String plan = Jobs.registerPlan(
                    engine.api(),
                    "durable",
                    """
                    name: %s
                    phases:
                      prepare:
                        steps:
                          - {id: one, action: noop}
                    """);
            id = Jobs.create(engine.api(), "alice", plan, Map.of());
            // The README's development tokens work on the embedded database...
            assertThat(engine.api()
                            .bearer("ferry-dev-dashboard")
                            .get("/api/v1/jobs/" + id)
                            .status())
                    .isEqualTo(200);
            assertThat(engine.api()
                            .bearer("ferry-dev-alice")
                            .post("/api/v1/jobs/" + id + "/cancel", null)
                            .status())
                    .isEqualTo(200);
        }
        assertThat(directory.resolve("postmaster.pid")).doesNotExist();
        try (Engine again = Engine.start(settings)) {
            assertThat(Jobs.get(again.api(), id).get("state").asText()).isEqualTo("CANCELLED");
        }
    }

    @Test
    void withADatasourceTheEmbeddedServerIsNeverStarted() {
        try (Engine engine = Engine.start(TestDatabase.newDatabase())) {
            assertThat(engine.context().getBeanNamesForType(EmbeddedPostgres.class))
                    .isEmpty();
            // ...and never with a real one.
            assertThat(engine.api()
                            .bearer("ferry-dev-dashboard")
                            .get("/api/v1/plans")
                            .status())
                    .isEqualTo(401);
        }
    }
}
