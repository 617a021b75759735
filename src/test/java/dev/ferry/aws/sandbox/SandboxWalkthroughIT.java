package dev.ferry.aws.sandbox;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The newcomer's first job, {@code sandbox/fluxion-freeze.yaml}, over HTTP against the seeded estate. */
class SandboxWalkthroughIT extends FerryIT {

    @Autowired
    AwsClients clients;

    @Autowired
    AwsProperties properties;

    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());

    @BeforeEach
    void estateAndPlan() throws Exception {
        new FluxionEstate(clients, properties).seed();
        String plan = new ClassPathResource("sandbox/fluxion-freeze.yaml").getContentAsString(StandardCharsets.UTF_8);
        Api.Response registered = api().as("newcomer").post("/api/v1/plans", "application/yaml", plan);
        assertThat(registered.status()).as(registered.toString()).isBetween(200, 201);
    }

    @Test
    void anApprovedJobStopsTheBackendAndBringsItBack() {
        UUID id = Jobs.create(api(), "newcomer", "fluxion-freeze", Map.of());
        api().as("newcomer").post("/api/v1/jobs/" + id + "/start", null);

        awaitState(api(), id, "AWAITING_APPROVAL");
        assertThat(desiredCount()).isZero();
        api().as("reviewer").post("/api/v1/jobs/" + id + "/phases/cutover/approve", Map.of("comment", "go"));

        awaitState(api(), id, "SUCCEEDED");
        assertThat(desiredCount()).isEqualTo(2);
    }

    @Test
    void rollingBackWhileItWaitsRestoresTheBackend() {
        UUID id = Jobs.create(api(), "newcomer", "fluxion-freeze", Map.of());
        api().as("newcomer").post("/api/v1/jobs/" + id + "/start", null);

        awaitState(api(), id, "AWAITING_APPROVAL");
        assertThat(desiredCount()).isZero();
        api().as("newcomer").post("/api/v1/jobs/" + id + "/rollback", Map.of("reason", "trying rollback"));

        awaitState(api(), id, "ROLLED_BACK");
        assertThat(desiredCount()).isEqualTo(2);
    }

    private int desiredCount() {
        return ecs.describeServices(r -> r.cluster("fluxion-cluster").services("fluxion-backend"))
                .services()
                .get(0)
                .desiredCount();
    }
}
