package dev.ferry.aws.elbv2;

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
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/** {@code aws.elbv2.setForwardWeights} on a listener and on a rule, against the emulator. */
class SetForwardWeightsIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    SetForwardWeightsAction action;

    private final ElasticLoadBalancingV2Client elb = AwsEmulator.client(ElasticLoadBalancingV2Client.builder());
    private final Ec2Client ec2 = AwsEmulator.client(Ec2Client.builder());
    private String oldGroup;
    private String newGroup;
    private String listener;
    private String rule;

    @BeforeEach
    void loadBalancer() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId();
        String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.9.1.0/24").availabilityZone("us-east-1a"))
                .subnet()
                .subnetId();
        String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.9.2.0/24").availabilityZone("us-east-1b"))
                .subnet()
                .subnetId();
        String lb = elb.createLoadBalancer(r -> r.name("lb-" + id).subnets(a, b))
                .loadBalancers()
                .get(0)
                .loadBalancerArn();
        oldGroup = group("old-" + id, vpc);
        newGroup = group("new-" + id, vpc);
        listener = elb.createListener(
                        r -> r.loadBalancerArn(lb).protocol("HTTP").port(80).defaultActions(f -> f.type(
                                        ActionTypeEnum.FORWARD)
                                .targetGroupArn(oldGroup)))
                .listeners()
                .get(0)
                .listenerArn();
        rule = elb.createRule(r -> r.listenerArn(listener)
                        .priority(10)
                        .conditions(c -> c.field("path-pattern").values("/api/*"))
                        .actions(f -> f.type(ActionTypeEnum.FORWARD).targetGroupArn(oldGroup)))
                .rules()
                .get(0)
                .ruleArn();
    }

    @Test
    void shiftsTheListenerAndCompensationRestoresThePlainForward() {
        ObjectNode with = weights(90, 10).put("listenerArn", listener);
        ActionDriver driver = new ActionDriver(action, "shift");
        JsonNode output = ((ActionResult.Succeeded) driver.run(with, Duration.ofSeconds(10))).output();
        assertThat(output.get("previousTargetGroups")).hasSize(1);
        assertThat(output.at("/previousTargetGroups/0/targetGroupArn").asText()).isEqualTo(oldGroup);
        assertThat(weights(listenerActions())).isEqualTo(Map.of(oldGroup, 90, newGroup, 10));

        assertThat(driver.compensate(with, output)).isInstanceOf(ActionResult.Succeeded.class);
        assertThat(weights(listenerActions())).isEqualTo(Map.of(oldGroup, 1));
    }

    @Test
    void aSecondStepKeepsTheFirstStepsWeightsAsItsPrevious() {
        new ActionDriver(action, "ten").run(weights(90, 10).put("ruleArn", rule), Duration.ofSeconds(10));
        ActionDriver half = new ActionDriver(action, "half");
        ObjectNode with = weights(50, 50).put("ruleArn", rule);
        half.call(with);
        ObjectNode captured = half.progress();
        half.call(with);
        // Lost result, new attempt: the memo still says 90/10, not the 50/50 already applied.
        JsonNode output = ((ActionResult.Succeeded)
                        half.restoredProgress(captured).nextAttempt().run(with, Duration.ofSeconds(10)))
                .output();
        assertThat(output.at("/previousTargetGroups/0/weight").asInt()).isEqualTo(90);
        assertThat(weights(ruleActions())).isEqualTo(Map.of(oldGroup, 50, newGroup, 50));
        half.compensate(with, output);
        assertThat(weights(ruleActions())).isEqualTo(Map.of(oldGroup, 90, newGroup, 10));
        assertThat(ruleActions().get(0).forwardConfig().targetGroupStickinessConfig())
                .isNotNull();
    }

    private ObjectNode weights(int old, int fresh) {
        ObjectNode with = JSON.createObjectNode();
        with.putArray("targetGroups")
                .add(JSON.createObjectNode().put("targetGroupArn", oldGroup).put("weight", old))
                .add(JSON.createObjectNode().put("targetGroupArn", newGroup).put("weight", fresh));
        return with;
    }

    private String group(String name, String vpc) {
        return elb.createTargetGroup(r -> r.name(name).protocol("HTTP").port(80).vpcId(vpc))
                .targetGroups()
                .get(0)
                .targetGroupArn();
    }

    private List<Action> listenerActions() {
        return elb.describeListeners(r -> r.listenerArns(listener))
                .listeners()
                .get(0)
                .defaultActions();
    }

    private List<Action> ruleActions() {
        return elb.describeRules(r -> r.ruleArns(rule)).rules().get(0).actions();
    }

    private static Map<String, Integer> weights(List<Action> actions) {
        return actions.get(0).forwardConfig().targetGroups().stream()
                .collect(Collectors.toMap(t -> t.targetGroupArn(), t -> t.weight()));
    }
}
