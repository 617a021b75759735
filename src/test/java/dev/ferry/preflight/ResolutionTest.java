package dev.ferry.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.plan.TemplateScope;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Parameters resolved as far as they can be before a job runs. */
class ResolutionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PLAN_STEPS = Set.of("new-fs", "stop");

    private final TemplateScope scope = new TemplateScope(
            (ObjectNode) JSON.createObjectNode().put("cluster", "fluxion").put("desired", 2),
            Map.of("stop", JSON.createObjectNode().put("previousDesiredCount", 3)),
            "job-1",
            "job");

    @Test
    void resolvesWhatItCanAndKeepsTheTemplatesOfLaterOutputs() throws Exception {
        JsonNode with = JSON.readTree(
                """
                {"cluster": "${params.cluster}", "count": "${params.desired}",
                 "fs": "${steps.new-fs.output.fileSystemId}", "was": "${steps.stop.output.previousDesiredCount}"}""");

        Resolution resolution = Resolution.of(with, scope, PLAN_STEPS);

        assertThat(resolution.with().get("cluster").asText()).isEqualTo("fluxion");
        assertThat(resolution.with().get("count").intValue()).isEqualTo(2);
        assertThat(resolution.with().get("was").intValue()).isEqualTo(3);
        assertThat(resolution.with().get("fs").asText()).isEqualTo("${steps.new-fs.output.fileSystemId}");
        assertThat(resolution.pendingSteps()).containsExactly("new-fs");
        assertThat(resolution.unresolvable()).isEmpty();
        assertThat(resolution.complete()).isFalse();
    }

    @Test
    void aMissingParameterOrUnknownStepCanNeverResolve() throws Exception {
        JsonNode with = JSON.readTree(
                """
                {"a": "${params.nope}", "b": "${steps.ghost.output.id}", "c": "${params.cluster}"}""");

        Resolution resolution = Resolution.of(with, scope, PLAN_STEPS);

        assertThat(resolution.unresolvable())
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("${params.nope}"))
                .anySatisfy(p -> assertThat(p).startsWith("${steps.ghost.output.id}"));
        assertThat(resolution.pendingSteps()).isEmpty();
        assertThat(resolution.with().get("c").asText()).isEqualTo("fluxion");
    }
}
