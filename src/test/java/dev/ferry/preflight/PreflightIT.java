package dev.ferry.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.aws.AwsProperties;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FaultInjectingProxy;
import dev.ferry.support.FerryService;
import dev.ferry.support.Jobs;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Preflight through the API against the emulator, which this context reaches through a
 * {@link FaultInjectingProxy}: each problem is reported as blocking with its reason and the start
 * is refused (422, nothing started); a clean estate passes and starts.
 *
 * <p>Two answers are the proxy's, because moto cannot give them: IAM SimulatePrincipalPolicy (moto
 * does not implement it) and a DRIFTED drift detection (moto answers DetectStackDrift with HTTP
 * 500). Both answers have the shape AWS documents for them; everything else is moto's.
 */
class PreflightIT extends FerryService {

    private static final FaultInjectingProxy PROXY = FaultInjectingProxy.start(AwsEmulator.endpoint());
    private static final String OPERATOR = "olga";

    @Autowired
    AwsProperties aws;

    private final SsmClient ssm = AwsEmulator.client(SsmClient.builder());
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    /** The service calls AWS through the proxy. */
    @DynamicPropertySource
    static void throughProxy(DynamicPropertyRegistry registry) {
        properties(registry, PROXY.uri());
        // A held resource blocks only where the service refuses rather than waits (the default).
        registry.add("ferry.locks.on-conflict", () -> "REFUSE");
    }

    @BeforeEach
    void throughTheProxy() {
        assertThat(aws.endpoint())
                .as("this context must reach AWS through the proxy")
                .isEqualTo(PROXY.uri());
    }

    @AfterEach
    void forwardEverything() {
        PROXY.pass();
    }

    private Api operator() {
        return api().as(OPERATOR);
    }

    @Test
    void aCleanEstatePassesStartsAndIsShownInTheJobViewAndTimeline() {
        ssm.putParameter(r -> r.name("/preflight/" + id + "/mode").value("old").type("String"));
        UUID job = Jobs.create(
                api(),
                OPERATOR,
                Jobs.registerPlan(api(), "preflight-clean", SSM_PLAN),
                Map.of("name", "/preflight/" + id + "/mode"));

        JsonNode report = preflight(job);

        assertThat(report.get("blocking").asBoolean())
                .as(report.toPrettyString())
                .isFalse();
        assertThat(finding(report, "flag", "resource-exists").get("reason").asText())
                .contains("version 1 exists");
        // moto has no policy simulation: said as a warning, not passed off as checked.
        assertThat(finding(report, null, "permission").get("severity").asText()).isEqualTo("WARNING");
        assertThat(finding(report, null, "permission").get("reason").asText())
                .contains("not simulated")
                .contains("ssm:PutParameter");
        Api.Response started = operator().post("/api/v1/jobs/" + job + "/start", null);
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        JsonNode view = Jobs.awaitState(api(), job, "SUCCEEDED");
        assertThat(view.path("preflight").path("blocking").asBoolean(true)).isFalse();
        assertThat(types(job)).containsSubsequence("PREFLIGHT_COMPLETED", "PREFLIGHT_COMPLETED", "JOB_STARTED");
    }

    @Test
    void aMissingResourceBlocks() {
        UUID job = Jobs.create(
                api(),
                OPERATOR,
                Jobs.registerPlan(api(), "preflight-missing", RULE_PLAN),
                Map.of("rule", "no-such-rule-" + id));

        JsonNode blocked = refusedStart(job);

        JsonNode missing = finding(blocked, "pause-etl", "resource-exists");
        assertThat(missing.get("severity").asText()).isEqualTo("BLOCKING");
        assertThat(missing.get("reason").asText()).contains("no-such-rule-" + id);
        assertThat(missing.get("part").asText()).isEqualTo("step");
    }

    @Test
    void aDeniedPermissionBlocksTheStepThatNeedsIt() {
        PROXY.answer("SimulatePrincipalPolicy", body -> simulation(body, "ssm:PutParameter"));
        ssm.putParameter(r -> r.name("/preflight/" + id + "/mode").value("old").type("String"));
        UUID job = Jobs.create(
                api(),
                OPERATOR,
                Jobs.registerPlan(api(), "preflight-denied", SSM_PLAN),
                Map.of("name", "/preflight/" + id + "/mode"));

        JsonNode blocked = refusedStart(job);

        List<JsonNode> denied = findings(blocked, "permission").stream()
                .filter(f -> f.get("severity").asText().equals("BLOCKING"))
                .toList();
        // The step writes the parameter and its compensation writes it back: both are refused.
        assertThat(denied)
                .extracting(f -> f.get("step").asText() + "/" + f.get("part").asText())
                .containsExactlyInAnyOrder("flag/step", "flag/compensation");
        assertThat(denied.get(0).get("subject").asText()).isEqualTo("ssm:PutParameter");
        assertThat(denied.get(0).get("reason").asText())
                .contains("implicitDeny")
                .contains("123456789012:user/moto");
    }

    @Test
    void aDriftedStackBlocks() {
        CloudFormationClient cloudFormation = AwsEmulator.client(CloudFormationClient.builder());
        String stack = "preflight-" + id;
        cloudFormation.createStack(
                r -> r.stackName(stack).templateBody("{\"Resources\":{\"Topic\":{\"Type\":\"AWS::SNS::Topic\"}}}"));
        PROXY.answer(
                "DetectStackDrift",
                body -> cloudFormation(
                        "DetectStackDrift", "<StackDriftDetectionId>d-" + id + "</StackDriftDetectionId>"));
        PROXY.answer(
                "DescribeStackDriftDetectionStatus",
                body -> cloudFormation(
                        "DescribeStackDriftDetectionStatus",
                        "<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/" + stack + "/1</StackId>"
                                + "<StackDriftDetectionId>d-" + id + "</StackDriftDetectionId>"
                                + "<StackDriftStatus>DRIFTED</StackDriftStatus><DetectionStatus>DETECTION_COMPLETE</DetectionStatus>"
                                + "<DriftedStackResourceCount>1</DriftedStackResourceCount>"
                                + "<Timestamp>2026-11-24T01:00:00Z</Timestamp>"));
        PROXY.answer(
                "DescribeStackResourceDrifts",
                body -> cloudFormation(
                        "DescribeStackResourceDrifts",
                        "<StackResourceDrifts><member><StackId>" + stack
                                + "</StackId><LogicalResourceId>Topic</LogicalResourceId>"
                                + "<PhysicalResourceId>arn:aws:sns:us-east-1:123456789012:topic</PhysicalResourceId>"
                                + "<ResourceType>AWS::SNS::Topic</ResourceType>"
                                + "<StackResourceDriftStatus>MODIFIED</StackResourceDriftStatus>"
                                + "<Timestamp>2026-11-24T01:00:00Z</Timestamp></member></StackResourceDrifts>"));
        UUID job = Jobs.create(
                api(), OPERATOR, Jobs.registerPlan(api(), "preflight-drift", DRIFT_PLAN), Map.of("stack", stack));

        JsonNode blocked = refusedStart(job);

        JsonNode drift = finding(blocked, "drift", "drift");
        assertThat(drift.get("severity").asText()).isEqualTo("BLOCKING");
        assertThat(drift.get("reason").asText()).contains("drifted").contains("Topic MODIFIED");
        assertThat(finding(blocked, "drift", "resource-exists").get("severity").asText())
                .isEqualTo("OK");
    }

    @Test
    void theEmulatorsDriftAnswerIsAWarningNotAPass() {
        CloudFormationClient cloudFormation = AwsEmulator.client(CloudFormationClient.builder());
        String stack = "preflight-" + id;
        cloudFormation.createStack(
                r -> r.stackName(stack).templateBody("{\"Resources\":{\"Topic\":{\"Type\":\"AWS::SNS::Topic\"}}}"));
        UUID job = Jobs.create(
                api(), OPERATOR, Jobs.registerPlan(api(), "preflight-drift", DRIFT_PLAN), Map.of("stack", stack));

        JsonNode report = preflight(job);

        assertThat(report.get("blocking").asBoolean())
                .as(report.toPrettyString())
                .isFalse();
        assertThat(finding(report, "drift", "drift").get("severity").asText()).isEqualTo("WARNING");
        assertThat(finding(report, "drift", "drift").get("reason").asText()).contains("drift not checked");
    }

    @Test
    void aResourceHeldByAnotherJobBlocks() {
        String plan = Jobs.registerPlan(api(), "preflight-lock", LOCK_PLAN);
        Map<String, Object> parameters = Map.of("name", "/preflight/" + id + "/lock");
        UUID holder = Jobs.start(api(), OPERATOR, plan, parameters);
        Jobs.awaitState(api(), holder, "AWAITING_APPROVAL");
        UUID job = Jobs.create(api(), OPERATOR, plan, parameters);

        JsonNode report = preflight(job);

        assertThat(report.get("blocking").asBoolean())
                .as(report.toPrettyString())
                .isTrue();
        JsonNode lock = finding(report, "flag", "lock");
        assertThat(lock.get("severity").asText()).isEqualTo("BLOCKING");
        assertThat(lock.get("subject").asText()).isEqualTo("ssm:parameter:/preflight/" + id + "/lock");
        assertThat(lock.get("reason").asText()).isEqualTo("held by job " + holder + " until it ends");
        // The start refuses it as it always has: resource-locked, naming the holder.
        Api.Response start = operator().post("/api/v1/jobs/" + job + "/start", null);
        assertThat(start.status()).as(start.toString()).isEqualTo(409);
        assertThat(start.json().get("type").asText()).endsWith("/resource-locked");
        assertThat(start.json().get("heldBy").asText()).isEqualTo(holder.toString());
        assertThat(Jobs.get(api(), job).get("state").asText()).isEqualTo("CREATED");
        assertThat(operator()
                        .post("/api/v1/jobs/" + holder + "/cancel", Map.of("reason", "test over"))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void skippingNeedsAReasonAndIsRecorded() {
        UUID job = Jobs.create(
                api(),
                OPERATOR,
                Jobs.registerPlan(api(), "preflight-skip", RULE_PLAN),
                Map.of("rule", "no-such-rule-" + id));

        Api.Response noReason = operator().post("/api/v1/jobs/" + job + "/start", Map.of("skipPreflight", true));
        assertThat(noReason.status()).as(noReason.toString()).isEqualTo(400);
        assertThat(noReason.body()).contains("a reason is required to skip preflight");
        Api.Response skipped = operator()
                .post(
                        "/api/v1/jobs/" + job + "/start",
                        Map.of("skipPreflight", true, "reason", "rule created by the ETL team at 02:00 (OPS-7)"));
        assertThat(skipped.status()).as(skipped.toString()).isEqualTo(200);

        JsonNode events = api().get("/api/v1/jobs/" + job + "/events").json().get("items");
        JsonNode skip = StreamSupport.stream(events.spliterator(), false)
                .filter(e -> e.get("type").asText().equals("PREFLIGHT_SKIPPED"))
                .findFirst()
                .orElseThrow();
        assertThat(skip.get("actor").asText()).isEqualTo(OPERATOR);
        assertThat(skip.get("reason").asText()).isEqualTo("rule created by the ETL team at 02:00 (OPS-7)");
        // Without preflight the missing rule is found by the step itself.
        Jobs.awaitState(api(), job, "PAUSED");
    }

    /** POST preflight answers 200 with the report, blocking or not. */
    private JsonNode preflight(UUID job) {
        Api.Response response = operator().post("/api/v1/jobs/" + job + "/preflight", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** The report blocks, the start is refused with the blocking findings, and the job stays CREATED. */
    private JsonNode refusedStart(UUID job) {
        JsonNode report = preflight(job);
        assertThat(report.get("blocking").asBoolean())
                .as(report.toPrettyString())
                .isTrue();
        Api.Response start = operator().post("/api/v1/jobs/" + job + "/start", null);
        assertThat(start.status()).as(start.toString()).isEqualTo(422);
        assertThat(start.json().get("type").asText()).endsWith("/preflight-blocked");
        assertThat(start.json().get("blocking")).isNotEmpty();
        JsonNode view = Jobs.get(api(), job);
        assertThat(view.get("state").asText()).isEqualTo("CREATED");
        assertThat(view.path("preflight").path("blocking").asBoolean()).isTrue();
        assertThat(types(job)).doesNotContain("JOB_STARTED").contains("PREFLIGHT_COMPLETED");
        return report;
    }

    private List<String> types(UUID job) {
        List<String> types = new ArrayList<>();
        api().get("/api/v1/jobs/" + job + "/events")
                .json()
                .get("items")
                .forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    private static List<JsonNode> findings(JsonNode report, String check) {
        return StreamSupport.stream(report.get("findings").spliterator(), false)
                .filter(f -> f.get("check").asText().equals(check))
                .toList();
    }

    private static JsonNode finding(JsonNode report, String step, String check) {
        return findings(report, check).stream()
                .filter(f -> step == null
                        ? f.path("step").asText(null) == null
                        : step.equals(f.path("step").asText()))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("no " + check + " finding for " + step + " in " + report.toPrettyString()));
    }

    /** IAM's answer to SimulatePrincipalPolicy: every action asked about is allowed but {@code denied}. */
    private static FaultInjectingProxy.Fault simulation(String body, String denied) {
        StringBuilder results = new StringBuilder();
        for (String pair : body.split("&")) {
            if (pair.startsWith("ActionNames.member.")) {
                String action = URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8);
                results.append("<member><EvalActionName>")
                        .append(action)
                        .append("</EvalActionName>")
                        .append("<EvalResourceName>*</EvalResourceName><EvalDecision>")
                        .append(action.equals(denied) ? "implicitDeny" : "allowed")
                        .append("</EvalDecision><MatchedStatements/><MissingContextValues/></member>");
            }
        }
        return new FaultInjectingProxy.Fault(
                200,
                "text/xml",
                "<SimulatePrincipalPolicyResponse"
                        + " xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><SimulatePrincipalPolicyResult>"
                        + "<IsTruncated>false</IsTruncated><EvaluationResults>" + results + "</EvaluationResults>"
                        + "</SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>simulated</RequestId>"
                        + "</ResponseMetadata></SimulatePrincipalPolicyResponse>",
                "simulated");
    }

    private static FaultInjectingProxy.Fault cloudFormation(String operation, String result) {
        return new FaultInjectingProxy.Fault(
                200,
                "text/xml",
                "<" + operation + "Response"
                        + " xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><" + operation + "Result>"
                        + result
                        + "</" + operation
                        + "Result><ResponseMetadata><RequestId>answered</RequestId></ResponseMetadata></"
                        + operation + "Response>",
                "answered");
    }

    private static final String SSM_PLAN =
            """
            name: %s
            parameters:
              - {name: name, type: string, required: true}
            phases:
              cutover:
                steps:
                  - id: flag
                    action: aws.ssm.putParameter
                    with: {name: "${params.name}", value: "new"}
            """;

    private static final String RULE_PLAN =
            """
            name: %s
            parameters:
              - {name: rule, type: string, required: true}
            phases:
              freeze:
                steps:
                  - id: pause-etl
                    action: aws.events.disableRule
                    with: {name: "${params.rule}"}
                    retry: {maxAttempts: 1}
            """;

    private static final String DRIFT_PLAN =
            """
            name: %s
            parameters:
              - {name: stack, type: string, required: true}
            phases:
              prepare:
                steps:
                  - id: drift
                    action: aws.cloudformation.detectDrift
                    with: {stackName: "${params.stack}"}
            """;

    private static final String LOCK_PLAN =
            """
            name: %s
            parameters:
              - {name: name, type: string, required: true}
            phases:
              freeze:
                steps:
                  - id: flag
                    action: aws.ssm.putParameter
                    with: {name: "${params.name}", value: "frozen", type: String}
              cutover:
                approval: {required: 1}
                steps:
                  - {id: switch, action: noop}
            """;
}
