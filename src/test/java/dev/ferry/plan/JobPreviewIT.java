package dev.ferry.plan;

import static dev.ferry.support.Previews.operations;
import static dev.ferry.support.Previews.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.EcsFixtures;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.Previews;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/** {@code GET /jobs/{id}/preview}: the planned calls of every step, secrets redacted, and what approvers saw. */
class JobPreviewIT extends FerryIT {

    private static final String SECRET = "tok-" + UUID.randomUUID();

    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: cluster, type: string, required: true}
              - {name: service, type: string, required: true}
              - {name: apiToken, type: string, secret: true, required: true}
            phases:
              freeze:
                steps:
                  - id: stop
                    action: aws.ecs.scaleService
                    with: {cluster: "${params.cluster}", service: "${params.service}", desiredCount: 0}
                  - id: announce
                    action: noop
                    with: {message: "calling with ${params.apiToken}"}
              cutover:
                approval: {required: 1}
                steps:
                  - id: settle
                    action: aws.ecs.waitStable
                    with: {cluster: "${params.cluster}", service: "${params.service}"}
                    compensate:
                      action: aws.ecs.scaleService
                      with:
                        cluster: "${params.cluster}"
                        service: "${params.service}"
                        desiredCount: "${steps.stop.output.previousDesiredCount}"
                  - id: look
                    action: manual
                    with: {title: Look at the dashboards, role: dba, evidence: [note]}
            """;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private String cluster;

    @BeforeEach
    void backend() {
        cluster = EcsFixtures.clusterWithBackend(ecs, "preview", 2);
    }

    @Test
    void showsEachStepsCallsAndCompensationWithSecretsRedactedAndLaterOutputsAsPlaceholders() {
        Api api = api();
        UUID id = Jobs.create(api, "olivia", Jobs.registerPlan(api, "job-preview", PLAN), parameters());

        Api.Response response = api.get("/api/v1/jobs/" + id + "/preview");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(SECRET);
        JsonNode preview = response.json();
        assertThat(preview.get("jobId").asText()).isEqualTo(id.toString());
        assertThat(preview.get("sha256").asText()).hasSize(64);
        assertThat(preview.get("phases")).hasSize(7);

        JsonNode stop = step(preview, "stop");
        assertThat(stop.get("with").get("cluster").asText()).isEqualTo(cluster);
        assertThat(operations(stop.get("calls"))).containsExactly("Ecs DescribeServices", "Ecs UpdateService");
        JsonNode update = stop.get("calls").get(1);
        assertThat(update.get("iamActions")).extracting(JsonNode::asText).containsExactly("ecs:UpdateService");
        assertThat(update.get("arguments").get("desiredCount").asInt()).isZero();
        assertThat(update.get("changes"))
                .extracting(JsonNode::asText)
                .containsExactly("ecs:service:" + cluster + "/backend");
        assertThat(stop.get("resources"))
                .extracting(JsonNode::asText)
                .containsExactly("ecs:service:" + cluster + "/backend");
        assertThat(stop.get("undo").get("own").asBoolean())
                .as("the action's own undo")
                .isTrue();
        assertThat(operations(stop.get("undo").get("calls"))).containsExactly("Ecs UpdateService");

        assertThat(step(preview, "announce").get("with").get("message").asText())
                .isEqualTo("calling with ******");
        assertThat(step(preview, "announce").get("calls")).isEmpty();

        JsonNode undo = step(preview, "settle").get("undo");
        assertThat(undo.get("action").asText()).isEqualTo("aws.ecs.scaleService");
        assertThat(undo.get("with").get("desiredCount").asText())
                .isEqualTo("${steps.stop.output.previousDesiredCount}");
        assertThat(undo.get("placeholders"))
                .extracting(JsonNode::asText)
                .containsExactly("steps.stop.output.previousDesiredCount");
        JsonNode restore = undo.get("calls").get(1);
        assertThat(restore.get("operation").asText()).isEqualTo("UpdateService");
        assertThat(restore.get("dependsOn"))
                .extracting(JsonNode::asText)
                .containsExactly("steps.stop.output.previousDesiredCount");
        assertThat(undo.get("calls").get(0).get("dependsOn")).isEmpty();

        JsonNode manual = step(preview, "look").get("manual");
        assertThat(manual.get("title").asText()).isEqualTo("Look at the dashboards");
        assertThat(manual.get("role").asText()).isEqualTo("dba");
        assertThat(manual.get("evidence")).extracting(JsonNode::asText).containsExactly("note");

        assertThat(api.get("/api/v1/jobs/" + id + "/preview")
                        .json()
                        .get("sha256")
                        .asText())
                .as("the same document, the same hash")
                .isEqualTo(preview.get("sha256").asText());
    }

    @Test
    void anApprovalKeepsThePreviewOfItsPhaseAsItWasThen() {
        Api api = api();
        UUID id = Jobs.start(api, "olivia", Jobs.registerPlan(api, "approval-preview", PLAN), parameters());
        Jobs.awaitState(api, id, "AWAITING_APPROVAL");
        JsonNode preview = Previews.of(api, id);
        JsonNode settle = step(preview, "settle");
        assertThat(settle.get("undo").get("with").get("desiredCount").asInt())
                .as("resolved from the output of a step that has run")
                .isEqualTo(2);
        assertThat(settle.get("undo").get("placeholders")).isEmpty();

        Api.Response approved = api.as("bruno", "approver")
                .post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "calls look right"));

        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        JsonNode decision = Jobs.phase(approved.json(), "CUTOVER")
                .get("approval")
                .get("decisions")
                .get(0);
        assertThat(decision.get("previewSha256").asText())
                .isEqualTo(preview.get("phaseSha256").get("CUTOVER").asText());
        assertThat(decision.has("preview"))
                .as("the view links to the preview, it does not copy it")
                .isFalse();
        String href = decision.get("previewHref").asText();
        assertThat(href)
                .isEqualTo("/api/v1/jobs/" + id + "/previews/"
                        + decision.get("previewSha256").asText());
        Api.Response shown = api.as("olivia").get(href);
        assertThat(shown.status()).as(shown.toString()).isEqualTo(200);
        assertThat(shown.header("Cache-Control")).contains("immutable");
        assertThat(shown.header("ETag"))
                .isEqualTo("\"" + decision.get("previewSha256").asText() + "\"");
        assertThat(shown.json().get("phase").asText()).isEqualTo("CUTOVER");
        assertThat(operations(shown.json().get("steps").get(0).get("calls"))).containsExactly("Ecs DescribeServices");
        assertThat(shown.body()).doesNotContain(SECRET);
        assertThat(approved.body()).doesNotContain(SECRET);
        Api.Response again =
                api.as("olivia").header("If-None-Match", shown.header("ETag")).get(href);
        assertThat(again.status()).isEqualTo(304);
        Api.Response unknown = api.as("olivia").get("/api/v1/jobs/" + id + "/previews/" + "0".repeat(64));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknown.json().get("type").asText()).endsWith("/preview-not-found");
        api.as("olivia").post("/api/v1/jobs/" + id + "/cancel", null);
    }

    @Test
    void anUnknownJobHasNoPreview() {
        Api.Response response = api().get("/api/v1/jobs/" + UUID.randomUUID() + "/preview");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("type").asText()).endsWith("/job-not-found");
    }

    private Map<String, Object> parameters() {
        return Map.of("cluster", cluster, "service", "backend", "apiToken", SECRET);
    }
}
