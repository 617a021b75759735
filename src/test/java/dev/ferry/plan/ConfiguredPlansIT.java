package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Engine;
import dev.ferry.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry.plans.directory}: an operator's plans (the Helm chart's ConfigMap) registered at start-up. */
class ConfiguredPlansIT {

    @Test
    void plansInTheDirectoryAreRegisteredAndABrokenOneStopsStartUp(@TempDir Path plans) throws Exception {
        Files.writeString(
                plans.resolve("team-cutover.yaml"),
                """
                name: team-cutover
                description: our own
                phases:
                  cutover:
                    steps:
                      - {id: switch, action: noop}
                """);
        TestDatabase.Coordinates database = TestDatabase.newDatabase();
        try (Engine engine = Engine.start(database, "ferry.plans.directory=" + plans)) {
            JsonNode plan = engine.api().get("/api/v1/plans/team-cutover").json();
            assertThat(plan.get("version").asInt()).isEqualTo(1);
            assertThat(plan.get("builtIn").asBoolean()).isFalse();
        }
        Files.writeString(
                plans.resolve("broken.yaml"),
                "name: broken\nphases: {prepare: {steps: [{id: a, action: aws.nope}]}}\n");
        assertThatThrownBy(() ->
                        Engine.start(database, "ferry.plans.directory=" + plans).close())
                .hasStackTraceContaining("configured plan broken.yaml is invalid")
                .hasStackTraceContaining("unknown action 'aws.nope'");
    }
}
