package dev.ferry.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.plan.ParameterSpec;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.PlanProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Targets from CSV (RFC 4180 quoting): a header row naming {@code name}, {@code label.<key>}
 * columns and parameter columns, then one target per row. A cell is typed by the plan's
 * declaration of its parameter (CSV has only text); an empty cell means "not given".
 */
final class TargetsCsv {

    private TargetsCsv() {}

    static List<CampaignDefinition.Target> parse(String csv, PlanDocument plan, List<PlanProblem> problems) {
        List<List<String>> rows = rows(csv, problems);
        List<CampaignDefinition.Target> targets = new ArrayList<>();
        if (rows.isEmpty()) {
            return targets;
        }
        List<String> header = rows.get(0);
        int nameColumn = header.indexOf("name");
        if (nameColumn < 0) {
            problems.add(new PlanProblem("targetsCsv", "the header row needs a 'name' column"));
            return targets;
        }
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            String where = "targetsCsv line " + (r + 1);
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            if (row.size() != header.size()) {
                problems.add(new PlanProblem(where, "has " + row.size() + " cells, the header " + header.size()));
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            ObjectNode parameters = JsonNodeFactory.instance.objectNode();
            for (int c = 0; c < header.size(); c++) {
                String column = header.get(c);
                String cell = row.get(c);
                if (c == nameColumn || cell.isEmpty()) {
                    continue;
                }
                if (column.startsWith("label.")) {
                    labels.put(column.substring("label.".length()), cell);
                } else {
                    typed(plan.parameter(column), cell)
                            .ifPresentOrElse(
                                    value -> parameters.set(column, value),
                                    () -> problems.add(new PlanProblem(
                                            where + ", column " + column,
                                            "'" + cell + "' is not a "
                                                    + plan.parameter(column)
                                                            .map(p -> p.type()
                                                                    .name()
                                                                    .toLowerCase())
                                                            .orElse("value"))));
                }
            }
            targets.add(new CampaignDefinition.Target(row.get(nameColumn), labels, parameters));
        }
        return targets;
    }

    /** The cell as the parameter's type; an undeclared parameter stays text (binding reports it). */
    private static Optional<JsonNode> typed(Optional<ParameterSpec> spec, String cell) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (spec.isEmpty()) {
            return Optional.of(f.textNode(cell));
        }
        try {
            return switch (spec.get().type()) {
                case INTEGER -> Optional.of(f.numberNode(Long.parseLong(cell.trim())));
                case NUMBER -> Optional.of(f.numberNode(new BigDecimal(cell.trim())));
                case BOOLEAN -> "true".equalsIgnoreCase(cell.trim()) || "false".equalsIgnoreCase(cell.trim())
                        ? Optional.of(f.booleanNode(Boolean.parseBoolean(cell.trim())))
                        : Optional.empty();
                default -> Optional.of(f.textNode(cell));
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<List<String>> rows(String csv, List<PlanProblem> problems) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString().trim());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(cell.toString().trim());
                rows.add(row);
                row = new ArrayList<>();
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            problems.add(new PlanProblem("targetsCsv", "a quoted cell is not closed"));
        }
        if (!cell.isEmpty() || !row.isEmpty()) {
            row.add(cell.toString().trim());
            rows.add(row);
        }
        return rows;
    }
}
