package dev.ferry.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.ferry.plan.ParameterSpec;
import dev.ferry.plan.ParameterType;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.PlanProblem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WavePlanningTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final PlanDocument PLAN = new PlanDocument(
            "p",
            null,
            List.of(
                    new ParameterSpec("region", ParameterType.STRING, true, null, false, null),
                    new ParameterSpec("weight", ParameterType.INTEGER, false, IntNode.valueOf(10), false, null),
                    new ParameterSpec("dryRun", ParameterType.BOOLEAN, false, null, false, null),
                    new ParameterSpec("password", ParameterType.STRING, false, null, true, null)),
            Map.of());

    private static NewCampaign.TargetRequest target(String name, Map<String, String> labels) {
        return new NewCampaign.TargetRequest(name, labels, JSON.valueToTree(Map.of("region", "eu-west-1")));
    }

    private static NewCampaign.WaveRequest listed(String... names) {
        return new NewCampaign.WaveRequest(null, List.of(names), null, null, null, null);
    }

    private static NewCampaign.WaveRequest selecting(Map<String, String> selector, int maxConcurrent) {
        return new NewCampaign.WaveRequest(null, null, selector, maxConcurrent, null, Duration.ofMinutes(5));
    }

    @Test
    void namedTargetsGoToTheirWaveAndTheRestToTheFirstWaveWhoseSelectorMatches() {
        var request = new NewCampaign(
                "fleet",
                "p",
                null,
                List.of(
                        target("canary", Map.of("tier", "web")),
                        target("web-1", Map.of("tier", "web")),
                        target("db-1", Map.of("tier", "db")),
                        target("web-2", Map.of("tier", "web", "region", "us"))),
                null,
                List.of(listed("canary"), selecting(Map.of("tier", "web"), 2), selecting(Map.of(), 1)),
                null);

        WavePlanning.Planned planned = WavePlanning.plan(request, PLAN);

        assertThat(planned.waveOf()).containsExactly(0, 1, 2, 1);
        assertThat(planned.definition().waves())
                .extracting(CampaignDefinition.Wave::targets)
                .containsExactly(List.of("canary"), List.of("web-1", "web-2"), List.of("db-1"));
        assertThat(planned.definition().waves())
                .extracting(CampaignDefinition.Wave::name)
                .containsExactly("wave-1", "wave-2", "wave-3");
        assertThat(planned.definition().waves().get(1).maxConcurrent()).isEqualTo(2);
        assertThat(planned.definition().waves().get(0).maxConcurrent()).isEqualTo(1);
        assertThat(planned.definition().failurePolicy()).isEqualTo(FailurePolicy.DEFAULT);
        // Parameters are bound as for a job: defaults added.
        assertThat(planned.targets().get(0).parameters().get("weight").asInt()).isEqualTo(10);
    }

    @Test
    void csvCellsAreTypedByThePlanAndLabelColumnsBecomeLabels() {
        var request = new NewCampaign(
                "fleet",
                "p",
                null,
                null,
                "name,label.ring,region,weight,dryRun\n"
                        + "a,one,eu-west-1,50,true\r\n"
                        + "\"b,2\",two,\"us-east-1\",,false\n",
                List.of(selecting(Map.of("ring", "one"), 1), selecting(Map.of("ring", "two"), 1)),
                null);

        WavePlanning.Planned planned = WavePlanning.plan(request, PLAN);

        assertThat(planned.targets())
                .extracting(CampaignDefinition.Target::name)
                .containsExactly("a", "b,2");
        assertThat(planned.targets().get(0).parameters().toString())
                .isEqualTo("{\"region\":\"eu-west-1\",\"weight\":50,\"dryRun\":true}");
        assertThat(planned.targets().get(1).parameters().get("weight").asInt()).isEqualTo(10);
        assertThat(planned.targets().get(1).labels()).isEqualTo(Map.of("ring", "two"));
        assertThat(planned.waveOf()).containsExactly(0, 1);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var request = new NewCampaign(
                "fleet",
                "p",
                null,
                List.of(
                        target("a", Map.of()),
                        target("a", Map.of()),
                        new NewCampaign.TargetRequest(
                                "lost", Map.of("tier", "x"), JSON.valueToTree(Map.of("password", "x")))),
                "name,weight\nc,lots\n",
                List.of(
                        listed("a", "nope"),
                        listed("a"),
                        new NewCampaign.WaveRequest(null, List.of(), Map.of("k", "v"), null, null, null),
                        selecting(Map.of("tier", "nothing"), 1)),
                null);

        CampaignInvalidException e =
                catchThrowableOfType(() -> WavePlanning.plan(request, PLAN), CampaignInvalidException.class);

        assertThat(e.errors())
                .extracting(PlanProblem::message)
                .contains(
                        "another target has the same name",
                        "missing required parameter",
                        "'lots' is not a integer",
                        "no target named 'nope'",
                        "'a' is already in wave 0",
                        "give either targets or selector",
                        "has no target",
                        "no wave names or selects it",
                        "a secret parameter cannot be given to a campaign; leave it to the plan's default");
    }

    @Test
    void failurePolicyAndApprovalDefaults() {
        var request = new NewCampaign(
                "fleet",
                "p",
                null,
                List.of(target("a", Map.of())),
                null,
                List.of(new NewCampaign.WaveRequest(
                        "only", List.of("a"), null, 3, new NewCampaign.ApprovalRequest(null, null, null, null), null)),
                new NewCampaign.FailurePolicyRequest(null, 25, true));

        CampaignDefinition definition = WavePlanning.plan(request, PLAN).definition();

        assertThat(definition.waves().get(0).approval())
                .isEqualTo(new CampaignDefinition.WaveApproval(1, List.of("approver"), true, null));
        assertThat(definition.waves().get(0).soak()).isEqualTo(Duration.ZERO);
        assertThat(definition.failurePolicy()).isEqualTo(new FailurePolicy(null, 25, true));
    }
}
