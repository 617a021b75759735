package dev.ferry.aws.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison, as the runbooks compute it: the difference of each table is relative to the
 * source ({@code (target - source) / source}), and a table is within tolerance when its absolute
 * percentage is at most {@code tolerancePercent}. An empty source table matches only an empty target.
 */
final class RowCountReport {

    static final String MISMATCH = "ROW_COUNT_MISMATCH";

    private final BigDecimal tolerancePercent;
    private final ArrayNode tables;

    /** {@code counted}: items {@code {table, source, target, window?}} as the action collected them. */
    RowCountReport(BigDecimal tolerancePercent, ArrayNode counted) {
        this.tolerancePercent = tolerancePercent;
        this.tables = JsonNodeFactory.instance.arrayNode();
        counted.forEach(c -> tables.add(compare((ObjectNode) c.deepCopy())));
    }

    private ObjectNode compare(ObjectNode table) {
        long source = table.get("source").asLong();
        long target = table.get("target").asLong();
        long difference = target - source;
        table.put("difference", difference);
        if (source == 0) {
            table.putNull("differencePercent");
            table.put("withinTolerance", target == 0);
            return table;
        }
        BigDecimal percent = BigDecimal.valueOf(difference)
                .multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(source), 4, RoundingMode.HALF_UP);
        table.put("differencePercent", percent);
        table.put("withinTolerance", percent.abs().compareTo(tolerancePercent) <= 0);
        return table;
    }

    List<JsonNode> mismatches() {
        List<JsonNode> out = new ArrayList<>();
        tables.forEach(t -> {
            if (!t.get("withinTolerance").asBoolean()) {
                out.add(t);
            }
        });
        return out;
    }

    ObjectNode toJson(ObjectNode base) {
        base.put("tolerancePercent", tolerancePercent);
        base.put("withinTolerance", mismatches().isEmpty());
        base.put("mismatchedTables", mismatches().size());
        base.set("tables", tables);
        return base;
    }

    /** Success, or a non-retryable failure that lists every table's counts. */
    ActionResult result(ObjectNode base) {
        ObjectNode report = toJson(base);
        if (mismatches().isEmpty()) {
            return ActionResult.succeeded(report);
        }
        StringBuilder message = new StringBuilder("row counts differ beyond ")
                .append(tolerancePercent.toPlainString())
                .append("% in ")
                .append(mismatches().size())
                .append(" of ")
                .append(tables.size())
                .append(" tables:");
        tables.forEach(t -> message.append(' ').append(line(t)).append(';'));
        message.setLength(message.length() - 1);
        return new ActionResult.Failed(false, MISMATCH, message.toString(), report);
    }

    private static String line(JsonNode t) {
        JsonNode percent = t.get("differencePercent");
        return t.get("table").asText() + " source " + t.get("source").asLong() + " target "
                + t.get("target").asLong()
                + " difference " + t.get("difference").asLong()
                + (percent.isNull()
                        ? ""
                        : " (" + percent.decimalValue().stripTrailingZeros().toPlainString() + "%)")
                + (t.get("withinTolerance").asBoolean() ? " ok" : " MISMATCH");
    }
}
