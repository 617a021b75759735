package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ParameterBindingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlanDocument plan = TestActions.parser()
            .parse(
                    """
            name: typed
            parameters:
              - {name: cluster, type: string, required: true}
              - {name: count, type: integer, default: 2}
              - {name: ratio, type: number}
              - {name: dryRun, type: boolean, default: false}
              - {name: settle, type: duration, default: PT5S}
              - {name: hosts, type: list}
              - {name: tags, type: map}
              - {name: password, type: string, secret: true, required: true, default: changeme}
            """,
                    SourceType.YAML);

    @Test
    void appliesDefaultsAndKeepsSuppliedValues() {
        ObjectNode bound = ParameterBinding.bind(
                plan,
                json(
                        """
                {"cluster": "prod", "count": 5, "ratio": 1, "hosts": ["a"], "tags": {"team": "core"}, "password": "s3cret"}"""));

        assertThat(bound)
                .isEqualTo(
                        json(
                                """
                {"cluster": "prod", "count": 5, "ratio": 1, "dryRun": false, "settle": "PT5S",
                 "hosts": ["a"], "tags": {"team": "core"}, "password": "s3cret"}"""));
    }

    @Test
    void aRequiredParameterWithADefaultMayBeLeftOutAndNullMeansNotGiven() {
        ObjectNode bound = ParameterBinding.bind(plan, json("{\"cluster\": \"prod\", \"ratio\": null}"));

        assertThat(bound.get("password").textValue()).isEqualTo("changeme");
        assertThat(bound.has("ratio")).isFalse();
    }

    @Test
    void reportsEveryProblemWithItsLocation() {
        InvalidParametersException e = catchThrowableOfType(
                InvalidParametersException.class,
                () -> ParameterBinding.bind(
                        plan,
                        json(
                                """
                        {"count": 2.5, "ratio": "1", "dryRun": "yes", "settle": "5 seconds", "hosts": "a,b",
                         "tags": ["x"], "colour": "blue"}""")));

        assertThat(e.problemType()).isEqualTo("invalid-parameters");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.properties()).containsEntry("errors", e.errors());
        assertThat(e.errors())
                .containsExactly(
                        new PlanProblem(
                                "parameters.colour",
                                "unknown parameter; plan 'typed' declares "
                                        + "cluster, count, ratio, dryRun, settle, hosts, tags, password"),
                        new PlanProblem("parameters.cluster", "missing required parameter"),
                        new PlanProblem("parameters.count", "must be an integer, got a decimal number"),
                        new PlanProblem("parameters.ratio", "must be a number, got a string"),
                        new PlanProblem("parameters.dryRun", "must be a boolean, got a string"),
                        new PlanProblem(
                                "parameters.settle", "'5 seconds' is not an ISO-8601 duration (e.g. PT30S, P7D)"),
                        new PlanProblem("parameters.hosts", "must be a list, got a string"),
                        new PlanProblem("parameters.tags", "must be a map (object), got a list"));
    }

    @Test
    void parametersMustBeAnObject() {
        assertThat(catchThrowableOfType(
                                InvalidParametersException.class, () -> ParameterBinding.bind(plan, json("[1]")))
                        .errors())
                .extracting(PlanProblem::location)
                .containsExactly("parameters");
    }

    @Test
    void noParametersAtAllIsFineForAPlanWithoutRequiredOnes() {
        PlanDocument open =
                TestActions.parser().parse("name: open\nparameters: [{name: a, type: string}]", SourceType.YAML);

        assertThat(ParameterBinding.bind(open, null)).isEmpty();
    }

    @Test
    void redactReplacesOnlySecretValues() {
        ObjectNode bound = ParameterBinding.bind(plan, json("{\"cluster\": \"prod\", \"password\": \"s3cret\"}"));

        ObjectNode redacted = ParameterBinding.redact(plan, bound);

        assertThat(redacted.get("password").textValue()).isEqualTo("******");
        assertThat(redacted.get("cluster").textValue()).isEqualTo("prod");
        assertThat(bound.get("password").textValue()).isEqualTo("s3cret");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
