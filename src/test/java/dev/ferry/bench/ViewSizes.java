package dev.ferry.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue #16's view sizes: the bytes of {@code GET /jobs/{id}} for a finished {@code bench-7x2} job
 * and for the README's first job (the built-in {@code rehearsal}, approved by two people before
 * CUTOVER and one before CLEANUP), each run to the end through the API.
 */
final class ViewSizes {

    private ViewSizes() {}

    record Result(int bench7x2Bytes, int firstJobAfterTwoApprovalsBytes, int firstJobFinishedBytes) {}

    static Result measure(BenchClient client, String healthUrl) {
        String bench = client.createJobs("bench-7x2", "view-size", 1, 1).get(0);
        client.start(List.of(bench), 1);
        int benchBytes = runToEnd(client, bench, null);

        JsonNode created = BenchClient.expect(
                        client.operator.post(
                                "/api/v1/jobs",
                                Map.of(
                                        "plan",
                                        "rehearsal",
                                        "name",
                                        "first rehearsal",
                                        "parameters",
                                        Map.of("settle", "PT2S", "healthUrl", healthUrl))),
                        201)
                .json();
        String first = created.get("id").asText();
        client.start(List.of(first), 1);
        int[] afterTwo = new int[1];
        int finished = runToEnd(client, first, afterTwo);
        return new Result(benchBytes, afterTwo[0], finished);
    }

    /** Approves each gate as it comes (a second approver where one has decided already); the final view's bytes. */
    private static int runToEnd(BenchClient client, String id, int[] afterCutover) {
        int[] finalBytes = new int[1];
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> finished(client, id, afterCutover, finalBytes));
        return finalBytes[0];
    }

    /** One look at the job: true once it succeeded (its view's bytes kept), approving a gate it waits at. */
    private static boolean finished(BenchClient client, String id, int[] afterCutover, int[] finalBytes) {
        Api.Response response = client.viewer.get("/api/v1/jobs/" + id);
        JsonNode view = BenchClient.expect(response, 200).json();
        String state = view.get("state").asText();
        if ("SUCCEEDED".equals(state)) {
            finalBytes[0] = response.body().getBytes(StandardCharsets.UTF_8).length;
            return true;
        }
        if (!List.of("RUNNING", "WAITING", "AWAITING_APPROVAL").contains(state)) {
            throw new IllegalStateException("view-size job " + id + " ended " + state + ": " + view);
        }
        if ("AWAITING_APPROVAL".equals(state)) {
            String phase = view.get("currentPhase").asText().toLowerCase(Locale.ROOT);
            boolean decided = view.toString().contains("\"actor\":\"bench-approver\"")
                    && "cutover".equals(phase)
                    && needsTwo(view);
            Api approver = decided ? client.secondApprover : client.approver;
            BenchClient.expect(
                    approver.post("/api/v1/jobs/" + id + "/phases/" + phase + "/approve", Map.of("comment", "ok")),
                    200);
            if (decided && afterCutover != null) {
                afterCutover[0] =
                        client.viewer.get("/api/v1/jobs/" + id).body().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return false;
    }

    private static boolean needsTwo(JsonNode view) {
        for (JsonNode phase : view.get("phases")) {
            if ("CUTOVER".equals(phase.get("phase").asText())
                    && phase.hasNonNull("approval")
                    && phase.get("approval").get("required").asInt() > 1) {
                return true;
            }
        }
        return false;
    }
}
