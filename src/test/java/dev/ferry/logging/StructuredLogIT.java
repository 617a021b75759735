package dev.ferry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Log lines are JSON, and those written while working on a job carry its id, phase and step. */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStepFailureIsLoggedAsJsonWithTheJobPhaseAndStep(CapturedOutput output) {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "logs",
                """
                name: %s
                phases:
                  copy:
                    steps:
                      - {id: boom, action: fail, with: {code: DISK_FULL, message: no space left, retryable: false}}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of());
        Jobs.awaitState(api, id, "PAUSED");

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> line(output, id)
                .isPresent());
        JsonNode line = line(output, id).orElseThrow();
        assertThat(line.at("/log/level").asText()).isEqualTo("WARN");
        assertThat(line.at("/process/thread/name").asText()).startsWith("ferry-worker");
        assertThat(line.get("phase").asText()).isEqualTo("COPY");
        assertThat(line.get("step").asText()).isEqualTo("boom");
        assertThat(line.get("message").asText()).contains("DISK_FULL");
        assertThat(line.at("/service/name").asText()).isEqualTo("ferry");
    }

    /** The JSON line about the step's failure that names the job, if one was written. */
    private static Optional<JsonNode> line(CapturedOutput output, UUID id) {
        return output.getOut()
                .lines()
                .filter(l -> l.startsWith("{"))
                .map(StructuredLogIT::parse)
                .filter(l -> l != null
                        && id.toString().equals(l.path("job_id").asText())
                        && l.path("message").asText().contains("failed for good"))
                .findFirst();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }
}
