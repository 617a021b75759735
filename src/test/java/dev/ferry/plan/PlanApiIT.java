package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Registering, versioning, reading and previewing plans over HTTP. */
class PlanApiIT extends FerryIT {

    private static final String YAML =
            """
            # a comment changes nothing
            name: %s
            description: versioning probe
            parameters:
              - {name: cluster, type: string, required: true}
            phases:
              prepare:
                steps:
                  - {id: snapshot, action: noop, with: {message: "snapshot ${params.cluster}"}}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: wait, with: {duration: PT1S}}
            """;

    /** The same document: keys in another order, flow style, no comment. */
    private static final String YAML_REORDERED =
            """
            phases:
              cutover:
                steps: [{with: {duration: PT1S}, action: wait, id: switch}]
                approval: {required: 1}
              prepare:
                steps: [{action: noop, id: snapshot, with: {message: "snapshot ${params.cluster}"}}]
            parameters: [{type: string, required: true, name: cluster}]
            description: versioning probe
            name: %s
            """;

    /** The same document again, as JSON. */
    private static final String JSON =
            """
            {"description": "versioning probe", "name": "%s",
             "parameters": [{"name": "cluster", "required": true, "type": "string"}],
             "phases": {
               "prepare": {"steps": [{"id": "snapshot", "action": "noop", "with": {"message": "snapshot ${params.cluster}"}}]},
               "cutover": {"approval": {"required": 1}, "steps": [{"id": "switch", "action": "wait", "with": {"duration": "PT1S"}}]}}}
            """;

    @Test
    void aYamlPlanIsRegisteredOnceAndVersionedWhenItChanges() {
        String name = Jobs.uniquePlanName("versioned");
        String source = YAML.formatted(name);

        Api.Response first = register("application/yaml", source);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        JsonNode v1 = first.json();
        assertThat(v1.get("name").asText()).isEqualTo(name);
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(v1.get("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(first.header("Location")).isEqualTo("/api/v1/plans/" + name + "?version=1");

        for (Api.Response again : List.of(
                register("application/yaml", source),
                register("application/yaml", YAML_REORDERED.formatted(name)),
                register("application/json", JSON.formatted(name)))) {
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(again.json().get("version").asInt()).isEqualTo(1);
            assertThat(again.json().get("sha256").asText())
                    .isEqualTo(v1.get("sha256").asText());
        }

        Api.Response changed = register("application/yaml", source.replace("PT1S", "PT2S"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(201);
        assertThat(changed.json().get("version").asInt()).isEqualTo(2);
        assertThat(changed.json().get("sha256").asText())
                .isNotEqualTo(v1.get("sha256").asText());
        assertThat(changed.header("Location")).isEqualTo("/api/v1/plans/" + name + "?version=2");

        JsonNode listed = find(api().get("/api/v1/plans").json(), name);
        assertThat(listed.get("version").asInt()).isEqualTo(2);
        assertThat(listed.get("builtIn").asBoolean()).isFalse();

        JsonNode version1 = api().get("/api/v1/plans/" + name + "?version=1").json();
        assertThat(version1.get("version").asInt()).isEqualTo(1);
        assertThat(version1.get("source").asText()).isEqualTo(source);
        assertThat(api().get("/api/v1/plans/" + name).json().get("version").asInt())
                .isEqualTo(2);

        JsonNode versions = api().get("/api/v1/plans/" + name + "/versions").json();
        assertThat(versions).extracting(v -> v.get("version").asInt()).containsExactly(2, 1);
        assertThat(api().get("/api/v1/plans/" + name + "?version=3").status()).isEqualTo(404);
    }

    @Test
    void aJsonPlanIsRegisteredAndKeepsItsSource() {
        String name = Jobs.uniquePlanName("as-json");
        String source = JSON.formatted(name);

        Api.Response created = register("application/json", source);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("version").asInt()).isEqualTo(1);
        assertThat(created.header("Location")).isEqualTo("/api/v1/plans/" + name + "?version=1");
        assertThat(api().get("/api/v1/plans/" + name).json().get("source").asText())
                .isEqualTo(source);

        Api.Response asYaml = register("application/yaml", YAML.formatted(name));
        assertThat(asYaml.status()).as(asYaml.toString()).isEqualTo(200);
        assertThat(asYaml.json().get("sha256").asText())
                .isEqualTo(created.json().get("sha256").asText());
    }

    @Test
    void anInvalidPlanListsEveryProblemAndStoresNothing() {
        String name = Jobs.uniquePlanName("invalid");
        Api.Response response = register(
                "application/yaml",
                """
                name: %s
                colour: red
                phases:
                  prepare:
                    steps:
                      - {id: one, action: aws.nope.doThing}
                      - {id: two, action: noop, with: {message: "${params.nope}"}}
                      - {id: three, action: noop, with: {message: "${steps.four.output.x}"}}
                      - {id: four, action: noop, timeout: soon}
                      - {id: one, action: noop}
                  later:
                    steps: []
                """
                        .formatted(name));

        assertPlanInvalid(response);
        Map<String, String> errors = errors(response.json());
        assertThat(errors).as(response.toString()).hasSize(7);
        assertThat(errors).hasEntrySatisfying("phases.prepare.steps[0].action", m -> assertThat(m)
                .contains("unknown action 'aws.nope.doThing'"));
        assertThat(errors).hasEntrySatisfying("phases.prepare.steps[1].with.message", m -> assertThat(m)
                .contains("${params.nope}"));
        assertThat(errors).hasEntrySatisfying("phases.prepare.steps[2].with.message", m -> assertThat(m)
                .contains("runs later"));
        assertThat(errors).hasEntrySatisfying("phases.prepare.steps[3].timeout", m -> assertThat(m)
                .contains("ISO-8601"));
        assertThat(errors).hasEntrySatisfying("phases.prepare.steps[4].id", m -> assertThat(m)
                .contains("duplicate step id 'one'"));
        assertThat(errors.values()).anyMatch(m -> m.contains("colour"));
        assertThat(errors.values()).anyMatch(m -> m.contains("later"));
        assertThat(api().get("/api/v1/plans/" + name).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM plan WHERE name = ?", Integer.class, name))
                .isZero();
    }

    @Test
    void aPlanWithoutANameIsInvalid() {
        String description = "nameless " + UUID.randomUUID();
        Api.Response response = register(
                "application/yaml",
                """
                description: %s
                phases:
                  prepare:
                    steps:
                      - {id: one, action: noop}
                """
                        .formatted(description));

        assertPlanInvalid(response);
        Map<String, String> errors = errors(response.json());
        assertThat(errors).as(response.toString()).hasSize(1);
        assertThat(errors.entrySet())
                .allSatisfy(e -> assertThat(e.getKey() + " " + e.getValue()).contains("name"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM plan WHERE description = ?", Integer.class, description))
                .isZero();
    }

    @Test
    void theBuiltInRehearsalIsListedAndPreviewsEveryPhase() {
        JsonNode rehearsal = find(api().get("/api/v1/plans").json(), "rehearsal");
        assertThat(rehearsal.get("builtIn").asBoolean()).isTrue();

        Api.Response response = api().as("alice")
                .post(
                        "/api/v1/plans/rehearsal/preview",
                        Map.of("parameters", Map.of("healthUrl", "http://example.test/health", "settle", "PT1S")));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode preview = response.json();
        assertThat(preview.get("plan").asText()).isEqualTo("rehearsal");
        assertThat(preview.get("phases"))
                .extracting(p -> p.get("phase").asText())
                .containsExactly("PREPARE", "FREEZE", "COPY", "VERIFY", "CUTOVER", "OBSERVE", "CLEANUP");
        for (JsonNode phase : preview.get("phases")) {
            assertThat(phase.get("steps")).as(phase.toString()).isNotEmpty();
            for (JsonNode step : phase.get("steps")) {
                assertThat(step.path("description").asText())
                        .as(step.toString())
                        .isNotBlank();
            }
        }
        JsonNode baseline = preview.get("phases").get(0).get("steps").get(0);
        assertThat(baseline.get("id").asText()).isEqualTo("baseline-health");
        assertThat(baseline.get("with").get("url").asText()).isEqualTo("http://example.test/health");
        assertThat(preview.get("phases").get(4).get("approval").get("required").asInt())
                .isEqualTo(2);
    }

    @Test
    void aSecretParameterIsRedactedInPreviews() {
        String name = Jobs.registerPlan(
                api(),
                "secret",
                """
                name: %s
                parameters:
                  - {name: dbPassword, type: string, secret: true}
                  - {name: host, type: string, required: true}
                phases:
                  copy:
                    steps:
                      - id: restore
                        action: noop
                        with: {message: "${params.dbPassword}", output: {host: "${params.host}"}}
                """);

        Api.Response response = api().as("alice")
                .post(
                        "/api/v1/plans/" + name + "/preview",
                        Map.of("parameters", Map.of("dbPassword", "hunter2-very-secret", "host", "db.internal")));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("hunter2-very-secret");
        JsonNode restore = response.json().get("phases").get(2).get("steps").get(0);
        assertThat(restore.get("with").get("message").asText()).isEqualTo("******");
        assertThat(restore.get("with").get("output").get("host").asText()).isEqualTo("db.internal");
    }

    private Api.Response register(String contentType, String document) {
        return api().as("plan-author").post("/api/v1/plans", contentType, document);
    }

    private static void assertPlanInvalid(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).endsWith("/plan-invalid");
        for (JsonNode error : response.json().get("errors")) {
            assertThat(error.path("location").asText()).as(error.toString()).isNotBlank();
            assertThat(error.path("message").asText()).as(error.toString()).isNotBlank();
        }
    }

    /** Location → message; a location reported twice would be lost, so the size is checked first. */
    private static Map<String, String> errors(JsonNode problem) {
        List<JsonNode> list = new ArrayList<>();
        problem.get("errors").forEach(list::add);
        Map<String, String> byLocation = new LinkedHashMap<>();
        list.forEach(e ->
                byLocation.merge(e.get("location").asText(), e.get("message").asText(), (a, b) -> a + " | " + b));
        assertThat(byLocation)
                .as("one entry per location: " + problem.get("errors"))
                .hasSameSizeAs(list);
        return byLocation;
    }

    private static JsonNode find(JsonNode plans, String name) {
        for (JsonNode plan : plans) {
            if (plan.get("name").asText().equals(name)) {
                return plan;
            }
        }
        throw new AssertionError("no plan " + name + " in " + plans);
    }

    /** The plans the README shows are registered as written (each under a fresh name). */
    @org.junit.jupiter.api.Test
    void everyPlanInTheReadmeIsValid() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("(?s)```yaml\n(name: [^\n]+)\n(.*?)```").matcher(readme);
        int plans = 0;
        while (block.find()) {
            String yaml = "name: " + Jobs.uniquePlanName("readme") + "\n" + block.group(2);
            var response = api().as("plan-author").post("/api/v1/plans", "application/yaml", yaml);
            Assertions.assertThat(response.status())
                    .as(block.group(1) + ": " + response)
                    .isEqualTo(201);
            plans++;
        }
        Assertions.assertThat(plans).isGreaterThanOrEqualTo(2);
    }
}
