package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.lifecycle.JobState;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The lifecycle diagram, as text for people and as JSON for tools. */
class LifecycleApiIT extends FerryIT {

    private static final String[] STATES = {
        "CREATED",
        "RUNNING",
        "AWAITING_APPROVAL",
        "WAITING",
        "PAUSED",
        "ROLLING_BACK",
        "SUCCEEDED",
        "ROLLED_BACK",
        "FAILED",
        "CANCELLED"
    };

    @Test
    void asTextItIsAMermaidDiagramOfEveryState() {
        Api.Response response = lifecycle("text/plain");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        assertThat(response.body().strip()).startsWith("stateDiagram-v2");
        assertThat(response.body()).contains(STATES);
    }

    @Test
    void asJsonItNamesTheFormat() {
        Api.Response response = lifecycle("application/json");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.get("format").asText()).isEqualTo("mermaid");
        assertThat(body.get("diagram").asText())
                .isEqualTo(lifecycle("text/plain").body());
        assertThat(body.get("diagram").asText()).contains(STATES);
    }

    @Test
    void theTestListsEveryJobState() {
        assertThat(STATES)
                .containsExactlyInAnyOrder(
                        Arrays.stream(JobState.values()).map(Enum::name).toArray(String[]::new));
    }

    private Api.Response lifecycle(String accept) {
        return api().send(api().request("/api/v1/lifecycle")
                .header("Accept", accept)
                .GET());
    }
}
