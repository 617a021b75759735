package dev.ferry.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import dev.ferry.action.ActionHandler;
import dev.ferry.action.ActionRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Reads a plan written as YAML or JSON and checks it in three passes — syntax, the structure in
 * {@code schemas/plan.schema.json}, then the rules in {@link PlanChecks} — reporting every problem
 * found in one {@link PlanInvalidException} rather than the first. Never changes any state.
 */
@Component
public class PlanParser {

    static final String SCHEMA = "schemas/plan.schema.json";

    private final ActionRegistry actions;
    private final ObjectReader jsonReader;
    private final ObjectReader yamlReader;
    private final JsonSchema planSchema = SchemaValidation.load(SCHEMA);
    // Handler schemas are fixed for the life of the process; compiling one is not free.
    private final Map<String, JsonSchema> actionSchemas = new ConcurrentHashMap<>();

    public PlanParser(ActionRegistry actions, ObjectMapper objectMapper) {
        this.actions = actions;
        // Duplicate keys would otherwise silently keep the last value.
        this.jsonReader = objectMapper.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.yamlReader = new YAMLMapper().reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** The validated plan. @throws PlanInvalidException listing every problem */
    public PlanDocument parse(String text, SourceType type) {
        return read(text, type).document();
    }

    /** Like {@link #parse}, also giving the canonical JSON and the SHA-256 that identify the plan. */
    public ParsedPlan read(String text, SourceType type) {
        JsonNode tree = syntax(text, type);
        List<PlanProblem> problems = new ArrayList<>(SchemaValidation.validate(planSchema, tree, "", false));
        JsonNode expanded = PhaseGates.expand(tree);
        if (tree.isObject()) {
            new PlanChecks(actions, this::schemaOf)
                    .check(expanded)
                    .forEach(problem -> problems.add(PhaseGates.locate(problem, tree)));
        }
        if (!problems.isEmpty()) {
            throw new PlanInvalidException(problems);
        }
        return new ParsedPlan(
                PlanDocumentReader.read(expanded), tree, CanonicalJson.write(tree), CanonicalJson.sha256(tree));
    }

    private JsonNode syntax(String text, SourceType type) {
        ObjectReader reader = type == SourceType.YAML ? yamlReader : jsonReader;
        try (JsonParser parser = reader.createParser(text == null ? "" : text)) {
            JsonNode tree = reader.readTree(parser);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw invalid("(document)", "the document is empty");
            }
            if (parser.nextToken() != null) {
                throw invalid(at(parser.currentLocation()), "only one document is allowed");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw invalid(at(e.getLocation()), firstLines(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonSchema schemaOf(ActionHandler handler) {
        return actionSchemas.computeIfAbsent(
                handler.name(), name -> SchemaValidation.compile(handler.parameterSchema()));
    }

    private static PlanInvalidException invalid(String location, String message) {
        return new PlanInvalidException(List.of(new PlanProblem(location, message)));
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "(document)";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    // YAML errors come with an indented excerpt of the source and repeated positions: keep the sentences.
    private static String firstLines(String message) {
        if (message == null) {
            return "syntax error";
        }
        return message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .map(String::trim)
                .collect(Collectors.joining("; "));
    }
}
