package dev.ferry.aws.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.StepParameters;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * One table to count, as a plan names it ({@code orders} or {@code public.orders}), optionally
 * restricted to a time window. Names are checked against a strict pattern and then double-quoted,
 * so they are exact (case-sensitive) catalog names and nothing else can reach the SQL text; the
 * window's bounds are bind parameters.
 */
record TableSpec(String name, String column, String since, String until) {

    private static final Pattern TABLE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$");
    private static final Pattern COLUMN = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    // PostgreSQL truncates longer identifiers silently; better to refuse than count another table.
    private static final int MAX_IDENTIFIER = 63;

    /** Reads a {@code tables} item: a name, or {@code {name, window: {column, since, until}}}. */
    static TableSpec of(JsonNode item, StepParameters parameters) {
        if (item.isTextual()) {
            return new TableSpec(tableName(item.textValue(), parameters), null, null, null);
        }
        String name = tableName(item.path("name").asText(""), parameters);
        JsonNode window = item.path("window");
        if (window.isMissingNode() || window.isNull()) {
            return new TableSpec(name, null, null, null);
        }
        String column = window.path("column").asText("");
        if (!COLUMN.matcher(column).matches() || column.length() > MAX_IDENTIFIER) {
            throw parameters.invalid("window column of " + name + " must be a plain column name, got '" + column + "'");
        }
        String since = window.path("since").asText("");
        String until = window.path("until").isTextual() ? window.get("until").textValue() : null;
        TableSpec spec = new TableSpec(name, column, since, until);
        spec.bounds(Instant.EPOCH, parameters);
        return spec;
    }

    private static String tableName(String name, StepParameters parameters) {
        if (!TABLE.matcher(name).matches()) {
            throw parameters.invalid("table '" + name + "' is not a valid table name (letters, digits and _,"
                    + " optionally schema-qualified: schema.table)");
        }
        for (String part : name.split("\\.")) {
            if (part.length() > MAX_IDENTIFIER) {
                throw parameters.invalid("table '" + name + "': identifiers are at most 63 characters");
            }
        }
        return name;
    }

    boolean windowed() {
        return column != null;
    }

    /** The count query; its parameters are {@link #bounds} in order. */
    String countSql() {
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM ");
        String[] parts = name.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            sql.append(i == 0 ? "" : ".").append('"').append(parts[i]).append('"');
        }
        if (windowed()) {
            sql.append(" WHERE \"").append(column).append("\" >= ?");
            if (until != null) {
                sql.append(" AND \"").append(column).append("\" < ?");
            }
        }
        return sql.toString();
    }

    /** The window's bounds as of {@code asOf}: {@code since} may be an instant or a duration back from it. */
    Instant[] bounds(Instant asOf, StepParameters parameters) {
        if (!windowed()) {
            return new Instant[0];
        }
        Instant from = instant(since, asOf, "since", parameters);
        if (until == null) {
            return new Instant[] {from};
        }
        return new Instant[] {from, instant(until, asOf, "until", parameters)};
    }

    ObjectNode windowJson(Instant asOf, StepParameters parameters) {
        Instant[] bounds = bounds(asOf, parameters);
        ObjectNode window =
                JsonNodeFactory.instance.objectNode().put("column", column).put("since", bounds[0].toString());
        return bounds.length > 1 ? window.put("until", bounds[1].toString()) : window;
    }

    private static Instant instant(String text, Instant asOf, String field, StepParameters parameters) {
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return asOf.minus(Duration.parse(text));
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException notUtc) {
                return OffsetDateTime.parse(text).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw parameters.invalid("window " + field + " must be an ISO-8601 instant (2024-01-04T00:00:00Z)"
                    + " or a duration back from now (PT1H, P1D), got '" + text + "'");
        }
    }
}
