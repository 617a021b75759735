package dev.ferry.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which jobs an alert is about: the one its {@code ferry_job_id} names, or every unfinished job
 * whose parameters declare {@code alertMatchers} (a map of labels) that the alert's labels all
 * carry, e.g. {@code {alertname: BackendHighErrorRate, service: fluxion-backend}}.
 */
@Component
class AlertMatching {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    AlertMatching(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<UUID> jobs(Alert alert) {
        if (alert.jobId() != null) {
            try {
                return List.of(UUID.fromString(alert.jobId()));
            } catch (IllegalArgumentException e) {
                return List.of();
            }
        }
        List<UUID> matched = new ArrayList<>();
        jdbc.query(
                "SELECT id, parameters -> 'alertMatchers' AS matchers FROM migration_job "
                        + "WHERE state IN ('RUNNING', 'AWAITING_APPROVAL', 'WAITING', 'PAUSED', 'ROLLING_BACK', 'ROLLED_BACK') "
                        + "AND parameters ? 'alertMatchers'",
                rs -> {
                    if (matches(read(rs.getString("matchers")), alert.labels())) {
                        matched.add(rs.getObject("id", UUID.class));
                    }
                });
        return matched;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    static boolean matches(JsonNode matchers, Map<String, String> labels) {
        if (!matchers.isObject() || matchers.isEmpty()) {
            return false;
        }
        var fields = matchers.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            if (!entry.getValue().asText().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
