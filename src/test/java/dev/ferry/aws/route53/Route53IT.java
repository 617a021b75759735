package dev.ferry.aws.route53;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** {@code aws.route53.upsertRecord} and {@code aws.route53.setWeights} against the emulator. */
class Route53IT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    UpsertRecordAction upsert;

    @Autowired
    SetWeightsAction setWeights;

    private final Route53Client route53 = AwsEmulator.client(Route53Client.builder());
    private String zone;
    private String domain;

    @BeforeEach
    void zone() {
        domain = "z" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        zone = route53.createHostedZone(r -> r.name(domain).callerReference(domain))
                .hostedZone()
                .id();
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zone)
                .changeBatch(b -> b.changes(
                        change(ResourceRecordSet.builder()
                                .name("app." + domain)
                                .type("CNAME")
                                .ttl(60L)
                                .resourceRecords(v -> v.value("m153no51s0.execute-api.us-east-1.amazonaws.com"))
                                .build()),
                        change(weighted("old", 100)),
                        change(weighted("new", 0)))));
    }

    @Test
    void upsertRemembersThePreviousRecordAndCompensationRestoresIt() {
        ActionDriver driver = new ActionDriver(upsert, "dns");
        ObjectNode with = record("app." + domain, "alb-123.us-east-1.elb.amazonaws.com");
        ActionResult result = driver.run(with, Duration.ofSeconds(10));
        JsonNode output = ((ActionResult.Succeeded) result).output();
        assertThat(output.get("existedBefore").asBoolean()).isTrue();
        assertThat(output.at("/previous/values/0").asText())
                .isEqualTo("m153no51s0.execute-api.us-east-1.amazonaws.com");
        assertThat(output.get("changeId").asText()).isNotBlank();
        assertThat(value("app." + domain)).isEqualTo("alb-123.us-east-1.elb.amazonaws.com");

        assertThat(new ActionDriver(upsert, "dns").compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(value("app." + domain)).isEqualTo("m153no51s0.execute-api.us-east-1.amazonaws.com");
    }

    @Test
    void aRetryAfterALostResultStillRemembersTheOriginalRecord() {
        ActionDriver driver = new ActionDriver(upsert, "dns");
        ObjectNode with = record("app." + domain, "alb-123.us-east-1.elb.amazonaws.com");
        driver.call(with);
        ObjectNode captured = driver.progress();
        assertThat(driver.call(with)).isInstanceOf(ActionResult.Succeeded.class);
        JsonNode again = ((ActionResult.Succeeded)
                        driver.restoredProgress(captured).nextAttempt().run(with, Duration.ofSeconds(10)))
                .output();
        assertThat(again.at("/previous/values/0").asText()).isEqualTo("m153no51s0.execute-api.us-east-1.amazonaws.com");
        assertThat(records("app." + domain)).hasSize(1);
    }

    @Test
    void aNewRecordIsDeletedByCompensation() {
        ObjectNode with = record("new." + domain, "10.0.0.1").put("type", "A");
        JsonNode output =
                ((ActionResult.Succeeded) new ActionDriver(upsert, "dns").run(with, Duration.ofSeconds(10))).output();
        assertThat(output.get("existedBefore").asBoolean()).isFalse();
        assertThat(value("new." + domain)).isEqualTo("10.0.0.1");
        ActionDriver undo = new ActionDriver(upsert, "dns");
        assertThat(undo.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(records("new." + domain)).isEmpty();
        JsonNode twice = ((ActionResult.Succeeded) undo.compensate(with, output)).output();
        assertThat(twice.get("reason").asText()).isEqualTo("already gone");
    }

    @Test
    void setWeightsShiftsTrafficAndCompensationRestoresTheWeights() {
        ObjectNode with = JSON.createObjectNode()
                .put("hostedZoneId", zone)
                .put("name", "api." + domain)
                .put("type", "CNAME");
        with.putObject("weights").put("old", 90).put("new", 10);
        JsonNode output = ((ActionResult.Succeeded)
                        new ActionDriver(setWeights, "shift").run(with, Duration.ofSeconds(10)))
                .output();
        assertThat(output.get("previousWeights").get("old").asInt()).isEqualTo(100);
        assertThat(output.get("previousWeights").get("new").asInt()).isZero();
        assertThat(weights()).isEqualTo(Map.of("old", 90L, "new", 10L));

        assertThat(new ActionDriver(setWeights, "shift").compensate(with, output))
                .isInstanceOf(ActionResult.Succeeded.class);
        assertThat(weights()).isEqualTo(Map.of("old", 100L, "new", 0L));
    }

    @Test
    void anUnknownSetIdentifierChangesNothing() {
        ObjectNode with = JSON.createObjectNode()
                .put("hostedZoneId", zone)
                .put("name", "api." + domain)
                .put("type", "CNAME");
        with.putObject("weights").put("old", 50).put("blue", 50);
        ActionResult.Failed failed =
                (ActionResult.Failed) new ActionDriver(setWeights, "shift").run(with, Duration.ofSeconds(10));
        assertThat(failed.code()).isEqualTo("RECORD_NOT_FOUND");
        assertThat(failed.retryable()).isFalse();
        assertThat(weights()).isEqualTo(Map.of("old", 100L, "new", 0L));
    }

    private ObjectNode record(String name, String value) {
        ObjectNode with = JSON.createObjectNode()
                .put("hostedZoneId", zone)
                .put("name", name)
                .put("type", "CNAME")
                .put("ttl", 60);
        with.putArray("values").add(value);
        return with;
    }

    private ResourceRecordSet weighted(String id, long weight) {
        return ResourceRecordSet.builder()
                .name("api." + domain)
                .type("CNAME")
                .ttl(60L)
                .setIdentifier(id)
                .weight(weight)
                .resourceRecords(v -> v.value(id + ".backend.example.com"))
                .build();
    }

    private static Change change(ResourceRecordSet set) {
        return Change.builder()
                .action(ChangeAction.UPSERT)
                .resourceRecordSet(set)
                .build();
    }

    private List<ResourceRecordSet> records(String name) {
        return route53.listResourceRecordSets(r -> r.hostedZoneId(zone)).resourceRecordSets().stream()
                .filter(s -> s.name().equals(name + "."))
                .toList();
    }

    private String value(String name) {
        return records(name).get(0).resourceRecords().get(0).value();
    }

    private Map<String, Long> weights() {
        return records("api." + domain).stream()
                .collect(Collectors.toMap(ResourceRecordSet::setIdentifier, ResourceRecordSet::weight));
    }
}
