package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * README maps every line of each built-in plan's runbook to the plan's steps ("runbook line → plan
 * step"). Keep those maps true: every step id they name exists in the plan, and every step of the
 * plan is named in its map, so a step added, renamed or removed without its runbook line fails here.
 */
class PlanRunbookMapsTest {

    private static final Path PLANS = Path.of("src/main/resources/plans");
    /** Plans made for practice, with no runbook behind them. */
    private static final Set<String> WITHOUT_RUNBOOK = Set.of("rehearsal");
    /** A step id as plans write them; other code spans in the tables (parameters, paths) are not ids. */
    private static final Pattern STEP_ID = Pattern.compile("`([a-z][a-z0-9]*(?:-[a-z0-9]+)*)`");

    static Stream<String> plansWithARunbook() throws IOException {
        try (Stream<Path> files = Files.list(PLANS)) {
            return files
                    .map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml"))
                    .map(f -> f.substring(0, f.length() - ".yaml".length()))
                    .filter(name -> !WITHOUT_RUNBOOK.contains(name))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("plansWithARunbook")
    void everyMappedStepExistsAndEveryStepIsMapped(String plan) throws IOException {
        List<String[]> rows = mapOf(plan);
        assertThat(rows).as("README has a runbook map for " + plan).isNotEmpty();
        Set<String> steps = stepIds(plan);
        Set<String> mapped = new LinkedHashSet<>();
        for (String[] row : rows) {
            assertThat(row[0].isBlank() || row[1].isBlank())
                    .as("a row with a runbook line and its place: " + String.join(" | ", row))
                    .isFalse();
            Matcher ids = STEP_ID.matcher(row[1]);
            while (ids.find()) {
                mapped.add(ids.group(1));
            }
        }
        assertThat(new TreeSet<>(mapped))
                .as("step ids the %s map names that the plan does not have", plan)
                .isSubsetOf(steps);
        Set<String> unmapped = new TreeSet<>(steps);
        unmapped.removeAll(mapped);
        assertThat(unmapped)
                .as("steps of %s that no runbook line maps to", plan)
                .isEmpty();
    }

    /** The rows (runbook line, plan step) of the table under {@code #### `plan` ← ...}. */
    private static List<String[]> mapOf(String plan) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        List<String[]> rows = new ArrayList<>();
        int at = lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("#### `" + plan + "` ← "))
                .findFirst()
                .orElse(""));
        if (at < 0) {
            return rows;
        }
        for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            String line = lines.get(i);
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| runbook line")) {
                continue;
            }
            String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|");
            assertThat(cells).as("two cells: " + line).hasSize(2);
            rows.add(new String[] {cells[0].trim(), cells[1].trim()});
        }
        return rows;
    }

    private static Set<String> stepIds(String plan) throws IOException {
        JsonNode document = new ObjectMapper(new YAMLFactory())
                .readTree(PLANS.resolve(plan + ".yaml").toFile());
        Set<String> ids = new TreeSet<>();
        document.path("phases").forEach(phase -> phase.path("steps")
                .forEach(step -> ids.add(step.path("id").asText())));
        return ids;
    }
}
