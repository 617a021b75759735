package dev.ferry.action.local;

import static dev.ferry.action.local.Contexts.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.ferry.action.ActionHandler;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalActionSchemasTest {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private static ActionHandler handler(String name) {
        return List.of(
                        new NoopAction(),
                        new WaitAction(),
                        new HttpCheckAction(HttpCheckProperties.defaults()),
                        new FailAction())
                .stream()
                .filter(h -> h.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static boolean valid(String action, String with) {
        JsonSchema schema = FACTORY.getSchema(handler(action).parameterSchema());
        return schema.validate(json(with)).isEmpty();
    }

    @Test
    void everySchemaIsDraft2020AndClosed() {
        for (String name : List.of("noop", "wait", "http.check", "fail")) {
            JsonNode schema = handler(name).parameterSchema();
            assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema.path("additionalProperties").asBoolean(true))
                    .as(name)
                    .isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            noop       | {}                                                              | true
            noop       | {"message":"m","output":{"a":1}}                                | true
            noop       | {"output":[1]}                                                  | false
            noop       | {"extra":1}                                                     | false
            wait       | {"duration":"PT30S"}                                            | true
            wait       | {"duration":"P7D"}                                              | true
            wait       | {"duration":"PT1.5S"}                                           | true
            wait       | {}                                                              | false
            wait       | {"duration":"30s"}                                              | false
            wait       | {"duration":"P"}                                                | false
            wait       | {"duration":"PT"}                                               | false
            http.check | {"url":"http://a/health"}                                       | true
            http.check | {"url":"https://a/h","method":"HEAD","expectedStatus":204}      | true
            http.check | {"url":"https://a/h","jsonPointer":"/status","equals":"ok"}     | true
            http.check | {"url":"https://a/h","jsonPointer":"/status"}                   | false
            http.check | {"url":"ftp://a/h"}                                             | false
            http.check | {"url":"https://a/h","method":"POST"}                           | false
            http.check | {"url":"https://a/h","interval":"5s"}                           | false
            http.check | {"url":"https://a/h","consecutiveSuccesses":0}                  | false
            http.check | {"url":"https://a/h","headers":{}}                              | false
            fail       | {}                                                              | true
            fail       | {"times":0,"retryable":false,"code":"X","message":"m"}          | true
            fail       | {"times":-1}                                                    | false
            fail       | {"times":"2"}                                                   | false
            """)
    void schemasAcceptAndRejectAsDocumented(String action, String with, boolean expected) {
        assertThat(valid(action, with)).as(action + " " + with).isEqualTo(expected);
    }
}
