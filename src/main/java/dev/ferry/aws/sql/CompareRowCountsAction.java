package dev.ferry.aws.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.action.StepParameters;
import dev.ferry.aws.AwsAction;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import dev.ferry.aws.CallArguments;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code sql.compareRowCounts}: the runbooks' drift check ("count events on the old system and on
 * the new one; alert if drift &gt; 1%"), for each listed table, optionally within a time window.
 *
 * <p>Read-only, so retries and re-runs are harmless and there is nothing to compensate. Tables are
 * counted in order; a call that has used its time budget returns "in progress" with the counts so
 * far (never credentials) and continues on the next call, so large estates do not hold a worker
 * for long. The window's "now" is fixed at the first call of an attempt, so every table and both
 * sides are compared over the same interval.
 */
@Component
public class CompareRowCountsAction extends AwsAction {

    public static final String NAME = "sql.compareRowCounts";

    private static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    // Below the worker lease (5 min): a lost lease would re-run the count elsewhere.
    private static final Duration MAX_STATEMENT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CALL_BUDGET = Duration.ofSeconds(30);

    public CompareRowCountsAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        StepParameters parameters = new StepParameters(NAME, context.parameters());
        List<TableSpec> tables = tables(parameters);
        Duration timeout = statementTimeout(parameters);
        BigDecimal tolerance = tolerance(parameters);
        Instant asOf = context.progress().hasNonNull("asOf")
                ? Instant.parse(context.progress().get("asOf").asText())
                : context.now();
        tables.forEach(t -> t.bounds(asOf, parameters));
        ArrayNode counted = context.progress().path("counted").isArray()
                ? (ArrayNode) context.progress().get("counted").deepCopy()
                : JsonNodeFactory.instance.arrayNode();

        SecretsManagerClient secrets = clients.client("secretsmanager", SecretsManagerClient::builder, target);
        Database source = Database.resolve("source", parameters.node("source"), secrets, parameters);
        Database destination = Database.resolve("target", parameters.node("target"), secrets, parameters);
        Instant started = Instant.now();
        try (RowCounter sourceRows = RowCounter.open(source, timeout);
                RowCounter targetRows = RowCounter.open(destination, timeout)) {
            for (int i = counted.size(); i < tables.size(); i++) {
                if (i > 0 && Duration.between(started, Instant.now()).compareTo(CALL_BUDGET) > 0) {
                    ObjectNode progress = JsonNodeFactory.instance.objectNode().put("asOf", asOf.toString());
                    progress.set("counted", counted);
                    return ActionResult.inProgress(
                            Duration.ZERO, progress, "counted " + i + " of " + tables.size() + " tables");
                }
                counted.add(count(tables.get(i), asOf, parameters, sourceRows, targetRows));
            }
        }
        ObjectNode base = JsonNodeFactory.instance.objectNode().put("asOf", asOf.toString());
        base.putObject("source").put("database", source.displayUrl()).put("secretId", source.secretId());
        base.putObject("target").put("database", destination.displayUrl()).put("secretId", destination.secretId());
        return new RowCountReport(tolerance, counted).result(base);
    }

    private static ObjectNode count(
            TableSpec table, Instant asOf, StepParameters parameters, RowCounter source, RowCounter target) {
        Instant[] bounds = table.bounds(asOf, parameters);
        ObjectNode row = JsonNodeFactory.instance
                .objectNode()
                .put("table", table.name())
                .put("source", source.count(table, bounds))
                .put("target", target.count(table, bounds));
        if (table.windowed()) {
            row.set("window", table.windowJson(asOf, parameters));
        }
        return row;
    }

    private static List<TableSpec> tables(StepParameters parameters) {
        JsonNode items = parameters.node("tables");
        if (!items.isArray() || items.isEmpty()) {
            throw parameters.invalid("tables must list at least one table");
        }
        List<TableSpec> tables = new ArrayList<>();
        items.forEach(item -> tables.add(TableSpec.of(item, parameters)));
        return tables;
    }

    private static Duration statementTimeout(StepParameters parameters) {
        Duration timeout = parameters.duration("statementTimeout", DEFAULT_STATEMENT_TIMEOUT);
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(MAX_STATEMENT_TIMEOUT) > 0) {
            throw parameters.invalid("statementTimeout must be between PT1S and " + MAX_STATEMENT_TIMEOUT);
        }
        return timeout;
    }

    private static BigDecimal tolerance(StepParameters parameters) {
        JsonNode value = parameters.node("tolerancePercent");
        if (value.isMissingNode() || value.isNull()) {
            return BigDecimal.ZERO;
        }
        if (!value.isNumber()
                || value.decimalValue().signum() < 0
                || value.decimalValue().compareTo(BigDecimal.valueOf(100)) > 0) {
            throw parameters.invalid("tolerancePercent must be a number from 0 to 100");
        }
        return value.decimalValue();
    }

    @Override
    public String describe(JsonNode parameters) {
        List<String> names = new ArrayList<>();
        parameters
                .path("tables")
                .forEach(t -> names.add(
                        t.isTextual()
                                ? t.asText()
                                : t.path("name").asText()
                                        + (t.has("window")
                                                ? " (since "
                                                        + t.path("window")
                                                                .path("since")
                                                                .asText() + ")"
                                                : "")));
        return "Compare row counts of " + String.join(", ", names) + " between "
                + side(parameters.path("source")) + " and " + side(parameters.path("target"))
                + " (read-only; fails if any table differs by more than "
                + parameters.path("tolerancePercent").asText("0") + "%)";
    }

    private static String side(JsonNode database) {
        String url = database.path("jdbcUrl").asText("");
        int query = url.indexOf('?');
        if (url.isEmpty()) {
            return "the database of secret " + database.path("secretId").asText();
        }
        return query < 0 ? url : url.substring(0, query);
    }

    /** Each side's credentials are read from Secrets Manager; the counting itself is SQL, not AWS. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        List<PlannedCall> calls = new ArrayList<>();
        for (String side : new String[] {"source", "target"}) {
            calls.add(PlannedCall.read(
                    SECRETS_MANAGER,
                    "GetSecretValue",
                    "secretsmanager:GetSecretValue",
                    CallArguments.of("secretId", with.path(side).path("secretId"))));
        }
        return calls;
    }

    /**
     * Both secrets exist (DescribeSecret: their values are not read before the window). Whether the
     * databases answer is left to the step: reaching them needs the credentials.
     */
    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        SecretsManagerClient secrets = clients.client("secretsmanager", SecretsManagerClient::builder, target);
        List<PreflightFinding> findings = new ArrayList<>();
        for (String side : new String[] {"source", "target"}) {
            JsonNode secretId = with.path(side).path("secretId");
            if (unresolved(secretId)) {
                continue;
            }
            var secret = secrets.describeSecret(r -> r.secretId(secretId.asText()));
            findings.add(
                    secret.deletedDate() == null
                            ? PreflightFinding.ok(
                                    "resource-exists", "secretsmanager:" + secretId.asText(), side + " credentials")
                            : PreflightFinding.blocking(
                                    "resource-state",
                                    "secretsmanager:" + secretId.asText(),
                                    side + " secret is scheduled for deletion"));
        }
        return findings;
    }

    private static final String SECRETS_MANAGER = "SecretsManager";
}
