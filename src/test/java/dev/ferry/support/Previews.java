package dev.ferry.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reading job previews ({@code GET /jobs/{id}/preview}) and recorded AWS calls in tests. */
public final class Previews {

    private Previews() {}

    public static JsonNode of(Api api, UUID id) {
        Api.Response response = api.get("/api/v1/jobs/" + id + "/preview");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** The step {@code id} of a preview, in whichever phase it is. */
    public static JsonNode step(JsonNode preview, String id) {
        for (JsonNode phase : preview.get("phases")) {
            for (JsonNode step : phase.get("steps")) {
                if (step.get("id").asText().equals(id)) {
                    return step;
                }
            }
        }
        throw new AssertionError("no step " + id + " in the preview");
    }

    /**
     * {@code "Ecs UpdateService"} for each planned or recorded call, in order: both name service and
     * operation alike, so a preview can be held against a step's {@code awsCalls}. None for null.
     */
    public static List<String> operations(JsonNode calls) {
        List<String> operations = new ArrayList<>();
        if (calls != null) {
            calls.forEach(c -> operations.add(
                    c.get("service").asText() + " " + c.get("operation").asText()));
        }
        return operations;
    }
}
