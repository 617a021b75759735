package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TemplateScope scope = new TemplateScope(
            (ObjectNode) json("{\"cluster\": \"prod\", \"count\": 3, \"ratio\": 0.5, \"on\": true,"
                    + " \"tags\": {\"team\": \"core\"}, \"hosts\": [\"a\", \"b\"]}"),
            Map.of(
                    "snapshot",
                    json("{\"arn\": \"arn:aws:rds:snap\", \"sizes\": [10, 20], \"nested\": {\"deep\": {\"n\": 7}}}"),
                    "stop",
                    json("{\"previousDesiredCount\": 4}")),
            "8d6f1c8e-0000-4000-8000-000000000001",
            "move-efs");

    @Test
    void aWholeTemplateKeepsTheJsonTypeOfItsValue() {
        JsonNode resolved = Template.resolve(
                json(
                        """
                {"count": "${params.count}", "ratio": "${params.ratio}", "on": "${params.on}",
                 "tags": "${params.tags}", "hosts": "${params.hosts}", "n": "${steps.stop.output.previousDesiredCount}",
                 "deep": "${steps.snapshot.output.nested.deep.n}", "second": "${steps.snapshot.output.sizes.1}",
                 "whole": "${steps.stop.output}"}"""),
                scope);

        assertThat(resolved)
                .isEqualTo(
                        json(
                                """
                {"count": 3, "ratio": 0.5, "on": true, "tags": {"team": "core"}, "hosts": ["a", "b"], "n": 4,
                 "deep": 7, "second": 20, "whole": {"previousDesiredCount": 4}}"""));
    }

    @Test
    void templatesInsideTextAreInterpolated() {
        JsonNode resolved = Template.resolve(
                json(
                        """
                {"message": "job ${job.name} (${job.id}) scales ${params.cluster} to ${params.count}",
                 "tags": "tags=${params.tags}", "list": ["in ${params.cluster}", 5, null]}"""),
                scope);

        assertThat(resolved)
                .isEqualTo(
                        json(
                                """
                {"message": "job move-efs (8d6f1c8e-0000-4000-8000-000000000001) scales prod to 3",
                 "tags": "tags={\\"team\\":\\"core\\"}", "list": ["in prod", 5, null]}"""));
    }

    @Test
    void doubleDollarEscapesALiteralTemplate() {
        assertThat(Template.resolve(json("\"$${params.cluster} is ${params.cluster}\""), scope)
                        .textValue())
                .isEqualTo("${params.cluster} is prod");
        assertThat(Template.resolve(json("\"$${not.a.template}\""), scope).textValue())
                .isEqualTo("${not.a.template}");
        assertThat(Template.resolve(json("\"costs $5\""), scope).textValue()).isEqualTo("costs $5");
    }

    @Test
    void aMissingValueNamesItsPath() {
        assertThatThrownBy(() -> Template.resolve(json("{\"a\": \"${steps.nope.output.arn}\"}"), scope))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.path()).isEqualTo("steps.nope.output.arn");
                    assertThat(e.getMessage()).contains("steps.nope.output.arn");
                });
        assertThatThrownBy(() -> Template.resolve(json("\"x ${params.missing}\""), scope))
                .isInstanceOfSatisfying(
                        TemplateException.class, e -> assertThat(e.path()).isEqualTo("params.missing"));
        assertThatThrownBy(() -> Template.resolve(json("\"${steps.snapshot.output.sizes.9}\""), scope))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void onlyKnownRootsAndPlainPathsAreAccepted() {
        assertThatThrownBy(() -> Template.resolve(json("\"${env.HOME}\""), scope))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("bad template path");
        assertThatThrownBy(() -> Template.resolve(json("\"${T(java.lang.Runtime).exec('x')}\""), scope))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("bad template path");
        assertThatThrownBy(() -> Template.resolve(json("\"${params.cluster\""), scope))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> Template.resolve(json("\"${steps.stop.previousDesiredCount}\""), scope))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void referencesListsEveryPathInTheTree() {
        JsonNode tree = json(
                """
                {"a": "${params.cluster}", "b": ["x ${steps.stop.output.n} ${job.id}", {"c": "${params.cluster}"}],
                 "d": "$${escaped}", "e": 1}""");

        assertThat(Template.references(tree)).containsExactly("params.cluster", "steps.stop.output.n", "job.id");
    }

    @Test
    void resolvingLeavesTheInputUnchanged() {
        JsonNode tree = json("{\"a\": \"${params.tags}\"}");
        Template.resolve(tree, scope);
        assertThat(tree).isEqualTo(json("{\"a\": \"${params.tags}\"}"));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
