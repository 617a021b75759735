package dev.ferry.action.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code http.check} with the default settings, through the API: a job's {@code healthUrl} cannot
 * reach the cloud metadata service, health checks of this host and of private addresses work, and
 * what a check read never reaches the job's viewers.
 */
class HttpCheckGuardIT extends FerryIT {

    static final String PLAN =
            """
            name: %s
            parameters:
              - {name: healthUrl, type: string, required: true}
            phases:
              prepare:
                steps:
                  - {id: check, action: http.check, with: {url: "${params.healthUrl}", jsonPointer: /status, equals: UP, interval: PT0.2S}}
            """;

    @Test
    void theMetadataServiceIsRefusedByRuleWithoutAConnection() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "ssrf", PLAN);
        for (String url : new String[] {
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://[fd00:ec2::254]/latest/meta-data/"
        }) {
            UUID id = Jobs.start(api, "alice", plan, Map.of("healthUrl", url));

            JsonNode paused = Jobs.awaitState(api, id, "PAUSED");
            JsonNode step = Jobs.step(paused, "check");
            // A refusal, not a connection error: no connection was tried (there is no metadata
            // service here to count requests; HttpCheckActionTest counts them on a local server).
            assertThat(step.at("/error/code").asText()).as(url).isEqualTo("ADDRESS_REFUSED");
            assertThat(step.at("/error/message").asText())
                    .as(url)
                    .contains("is the cloud metadata address, always refused");
            assertThat(step.get("attempt").asInt()).as("not retried").isEqualTo(1);
        }
    }

    @Test
    void aCheckOfThisHostPassesByDefaultAndKeepsNoBody() throws Exception {
        try (CheckedEndpoint endpoint = CheckedEndpoint.on("127.0.0.1")) {
            JsonNode done = checked(endpoint.url());

            assertThat(endpoint.requests()).isPositive();
            JsonNode output = Jobs.step(done, "check").get("output");
            assertThat(output.get("status").asInt()).isEqualTo(200);
            assertThat(output.get("value").asText()).isEqualTo("UP");
            assertThat(output.get("latencyMs").asLong()).isNotNegative();
            assertThat(done.toString()).doesNotContain(CheckedEndpoint.SECRET);
            String id = done.get("id").asText();
            assertThat(api().get("/api/v1/jobs/" + id + "/events?after=0").body())
                    .doesNotContain(CheckedEndpoint.SECRET);
        }
    }

    @Test
    void aCheckOfAPrivateAddressPassesByDefault() throws Exception {
        Optional<InetAddress> address = CheckedEndpoint.privateAddressOfThisHost();
        assumeTrue(address.isPresent(), "this machine has no private address to listen on");
        try (CheckedEndpoint endpoint = CheckedEndpoint.on(address.get())) {
            checked(endpoint.url());
            assertThat(endpoint.requests()).isPositive();
        }
    }

    private JsonNode checked(String url) {
        Api api = api();
        UUID id = Jobs.start(api, "alice", Jobs.registerPlan(api, "health", PLAN), Map.of("healthUrl", url));
        return Jobs.awaitState(api, id, "SUCCEEDED");
    }
}
