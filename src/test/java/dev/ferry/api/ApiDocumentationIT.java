package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.FerryIT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document as a client downloads it: every operation of the API is there, every
 * request body has an example, and every problem type the code can produce is shown somewhere.
 */
class ApiDocumentationIT extends FerryIT {

    // Problem slugs in the code: FerryException subclasses and the shared constants (the formatter
    // may break the line after the opening parenthesis).
    private static final Pattern SLUG = Pattern.compile(
            "(?:super\\(|new ApprovalForbiddenException\\(|new ManualStepException\\(|String [A-Z_]+ = )\\s*\"([a-z]+(?:-[a-z]+)+|[a-z]+)\"");

    @Test
    void everyRequestHasAnExampleAndEveryProblemTypeIsDocumented() throws IOException {
        var response = api().anonymous().get("/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        JsonNode doc = response.json();
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");

        List<String> withoutExample = new ArrayList<>();
        Set<String> documented = new TreeSet<>();
        int operations = 0;
        for (var path : (Iterable<Map.Entry<String, JsonNode>>) doc.get("paths")::fields) {
            for (var op : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
                operations++;
                JsonNode body = op.getValue().path("requestBody").path("content");
                body.fields().forEachRemaining(media -> {
                    if (media.getValue().path("example").isMissingNode()
                            && media.getValue().path("examples").isMissingNode()) {
                        withoutExample.add(op.getKey().toUpperCase() + " " + path.getKey() + " " + media.getKey());
                    }
                });
                op.getValue().path("responses").forEach(r -> r.path("content")
                        .path("application/problem+json")
                        .path("examples")
                        .fieldNames()
                        .forEachRemaining(documented::add));
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(25);
        assertThat(doc.get("paths").has("/api/v1/jobs/{id}/events/stream")).isTrue();
        assertThat(withoutExample).as("request bodies without an example").isEmpty();

        Set<String> inCode = slugsInCode();
        inCode.removeAll(Set.of("https", "anonymous", "system"));
        assertThat(inCode).as("problem types found in the code").hasSizeGreaterThan(25);
        assertThat(documented)
                .as("problem types with an example in /v3/api-docs")
                .containsAll(inCode);
    }

    @Test
    void theBrowsableUiIsServed() {
        var ui = api().anonymous().get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    private static Set<String> slugsInCode() throws IOException {
        Set<String> slugs = new TreeSet<>();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/ferry"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
        }
        for (Path source : sources) {
            String text = Files.readString(source);
            boolean problems = text.contains("extends FerryException")
                    || source.endsWith("ProblemTypes.java")
                    || source.endsWith("ProblemResponseWriter.java");
            if (!problems) {
                continue;
            }
            Matcher m = SLUG.matcher(text);
            while (m.find()) {
                slugs.add(m.group(1));
            }
        }
        return slugs;
    }
}
