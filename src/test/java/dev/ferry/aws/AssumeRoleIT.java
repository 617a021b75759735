package dev.ferry.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.aws.ecs.ScaleServiceAction;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.EcsFixtures;
import dev.ferry.support.FerryIT;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ecs.EcsClient;

/** A step with a roleArn works through credentials assumed via STS (cross-account), assumed once and cached. */
class AssumeRoleIT extends FerryIT {

    @Autowired
    ScaleServiceAction action;

    @Autowired
    MeterRegistry meters;

    @Test
    void aStepWithARoleAssumesItOnceAndActsWithIt() {
        EcsClient ecs = AwsEmulator.client(EcsClient.builder());
        String cluster = EcsFixtures.clusterWithBackend(ecs, "cross-account", 2);
        ObjectNode with = new ObjectMapper()
                .createObjectNode()
                .put("cluster", cluster)
                .put("service", "backend")
                .put("desiredCount", 0)
                .put("roleArn", "arn:aws:iam::123456789012:role/ferry-migrations");
        double before = assumeRoleCalls();

        ActionResult result = new ActionDriver(action, "stop").run(with, Duration.ofSeconds(10));
        assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(EcsFixtures.desiredCount(ecs, cluster)).isZero();
        assertThat(assumeRoleCalls() - before).isEqualTo(1);

        new ActionDriver(action, "again").run(with.put("desiredCount", 1), Duration.ofSeconds(10));
        assertThat(EcsFixtures.desiredCount(ecs, cluster)).isEqualTo(1);
        assertThat(assumeRoleCalls() - before)
                .as("credentials are cached until near expiry")
                .isEqualTo(1);
    }

    private double assumeRoleCalls() {
        return meters.find("ferry.aws.calls").tag("operation", "AssumeRole").timers().stream()
                .mapToDouble(t -> t.count())
                .sum();
    }
}
