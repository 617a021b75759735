package dev.ferry.plan.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.sandbox.FluxionEstate;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Preflight of the four built-in plans against the estates their ITs build (the sandbox's for
 * EFS): nothing blocks, the resources the steps need are found, and what the emulator cannot
 * answer (policy simulation, drift) is a warning, not a pass.
 */
class BuiltInPlansPreflightIT extends FerryIT {

    private static PlanEstates.Twin databases;

    @Autowired
    AwsClients clients;

    @Autowired
    AwsProperties properties;

    @BeforeAll
    static void databases() {
        databases = PlanEstates.Twin.seeded(10, "orders_");
    }

    @Test
    void efsEncryption() {
        Map<String, Object> parameters =
                new HashMap<>(new FluxionEstate(clients, properties).seed().efsEncryptionParameters());
        parameters.put("healthUrl", health());
        assertPasses("efs-encryption", parameters);
    }

    @Test
    void databaseRelocation() {
        assertPasses("database-relocation", databases.databaseRelocation(Operators.unique(), health()));
    }

    @Test
    void dnsCutover() throws Exception {
        JsonNode report = assertPasses("dns-cutover", PlanEstates.dnsCutover(Operators.unique()));
        // The weighted record "new" is created by the plan's own new-record step: not a blocker.
        assertThat(findings(report, "WARNING"))
                .anySatisfy(f -> assertThat(f.get("reason").asText()).contains("step new-record changes"));
    }

    @Test
    void trafficShift() {
        assertPasses("traffic-shift", databases.trafficShift(Operators.unique()));
    }

    private JsonNode assertPasses(String plan, Map<String, Object> parameters) {
        Api api = api();
        UUID id = Jobs.create(api, "ana", plan, parameters);
        Api.Response response = api.as("ana").post("/api/v1/jobs/" + id + "/preflight", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(findings(report, "BLOCKING")).as(report.toPrettyString()).isEmpty();
        assertThat(report.get("blocking").asBoolean()).isFalse();
        assertThat(findings(report, "OK"))
                .as("resources found")
                .anySatisfy(f -> assertThat(f.get("check").asText()).isEqualTo("resource-exists"));
        assertThat(findings(report, "WARNING"))
                .as("moto has no policy simulation")
                .anySatisfy(f -> assertThat(f.get("reason").asText()).contains("not simulated"));
        return report;
    }

    private static List<JsonNode> findings(JsonNode report, String severity) {
        List<JsonNode> found = new ArrayList<>();
        report.get("findings").forEach(f -> {
            if (f.get("severity").asText().equals(severity)) {
                found.add(f);
            }
        });
        return found;
    }

    private String health() {
        return "http://127.0.0.1:" + port + "/actuator/health";
    }
}
