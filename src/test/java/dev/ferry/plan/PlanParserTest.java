package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlanParserTest {

    private final PlanParser parser = TestActions.parser();

    static final String VALID_YAML =
            """
            # comments do not change the hash
            name: efs-move
            description: Move a file system
            parameters:
              - {name: cluster, type: string, required: true}
              - {name: count, type: integer, default: 2}
            phases:
              prepare:
                steps:
                  - id: snapshot
                    action: noop
                    with: {output: {arn: "arn:x"}, message: "job ${job.name} ${job.id}"}
              freeze:
                steps:
                  - id: stop
                    action: aws.ecs.scaleService
                    with: {cluster: "${params.cluster}", service: web, desiredCount: "${params.count}"}
                    compensate:
                      action: aws.ecs.scaleService
                      with: {cluster: "${params.cluster}", service: web, desiredCount: "${steps.stop.output.previous}"}
                    retry: {maxAttempts: 5}
                    timeout: PT10M
              cutover:
                approval: {required: 2, roles: [approver], expiresAfter: PT1H}
                steps:
                  - {id: settle, action: wait, with: {duration: PT30S}, description: "from ${steps.snapshot.output.arn}"}
            """;

    static final String VALID_JSON =
            """
            {"phases": {"cutover": {"steps": [{"with": {"duration": "PT30S"}, "action": "wait", "id": "settle",
                "description": "from ${steps.snapshot.output.arn}"}],
                "approval": {"roles": ["approver"], "required": 2, "expiresAfter": "PT1H"}},
              "prepare": {"steps": [{"id": "snapshot", "action": "noop",
                "with": {"message": "job ${job.name} ${job.id}", "output": {"arn": "arn:x"}}}]},
              "freeze": {"steps": [{"id": "stop", "action": "aws.ecs.scaleService",
                "with": {"cluster": "${params.cluster}", "service": "web", "desiredCount": "${params.count}"},
                "compensate": {"action": "aws.ecs.scaleService",
                  "with": {"cluster": "${params.cluster}", "service": "web", "desiredCount": "${steps.stop.output.previous}"}},
                "retry": {"maxAttempts": 5}, "timeout": "PT10M"}]}},
             "name": "efs-move", "description": "Move a file system",
             "parameters": [{"name": "cluster", "type": "string", "required": true},
                            {"type": "integer", "name": "count", "default": 2}]}
            """;

    @Test
    void parsesAValidPlanWithDefaults() {
        PlanDocument plan = parser.parse(VALID_YAML, SourceType.YAML);

        assertThat(plan.name()).isEqualTo("efs-move");
        assertThat(plan.parameters()).extracting(ParameterSpec::name).containsExactly("cluster", "count");
        assertThat(plan.parameter("count").orElseThrow().defaultValue().intValue())
                .isEqualTo(2);
        StepSpec stop = plan.phase(Phase.FREEZE).steps().get(0);
        assertThat(stop.retry())
                .isEqualTo(new RetryPolicy(
                        5,
                        RetryPolicy.DEFAULT.backoff(),
                        RetryPolicy.DEFAULT.maxBackoff(),
                        RetryPolicy.DEFAULT.multiplier()));
        assertThat(stop.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(stop.compensate().action()).isEqualTo("aws.ecs.scaleService");
        assertThat(plan.phase(Phase.PREPARE).steps().get(0).retry()).isEqualTo(RetryPolicy.DEFAULT);
        ApprovalPolicy approval = plan.phase(Phase.CUTOVER).approval();
        assertThat(approval).isEqualTo(new ApprovalPolicy(2, List.of("approver"), true, Duration.ofHours(1)));
        assertThat(plan.phase(Phase.COPY).isEmpty()).isTrue();
        assertThat(plan.steps().map(StepSpec::id)).containsExactly("snapshot", "stop", "settle");
    }

    @Test
    void theSamePlanAsYamlOrJsonHasTheSameHash() {
        ParsedPlan yaml = parser.read(VALID_YAML, SourceType.YAML);
        ParsedPlan json = parser.read(VALID_JSON, SourceType.JSON);

        assertThat(json.sha256()).isEqualTo(yaml.sha256()).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(json.canonicalJson()).isEqualTo(yaml.canonicalJson()).startsWith("{\"description\":");
        assertThat(json.document()).isEqualTo(yaml.document());
        assertThat(parser.parse(yaml.canonicalJson(), SourceType.JSON)).isEqualTo(yaml.document());
    }

    @Test
    void changingThePlanChangesTheHash() {
        String changed = VALID_YAML.replace("PT30S", "PT31S");
        assertThat(parser.read(changed, SourceType.YAML).sha256())
                .isNotEqualTo(parser.read(VALID_YAML, SourceType.YAML).sha256());
    }

    @Test
    void theRehearsalPlanOnTheClasspathIsValid() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("plans/rehearsal.yaml")) {
            PlanDocument plan = parser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SourceType.YAML);

            assertThat(plan.name()).isEqualTo("rehearsal");
            assertThat(plan.phases().values())
                    .allSatisfy(phase -> assertThat(phase.steps()).isNotEmpty());
            assertThat(plan.phase(Phase.CUTOVER).approval().required()).isEqualTo(2);
            assertThat(plan.phase(Phase.CUTOVER).approval().roles()).containsExactly("approver");
            assertThat(plan.phase(Phase.CLEANUP).approval().required()).isEqualTo(1);
            assertThat(plan.parameter("settle").orElseThrow().type()).isEqualTo(ParameterType.DURATION);
            assertThat(plan.parameter("healthUrl").orElseThrow().defaultValue().textValue())
                    .isEqualTo("http://127.0.0.1:8080/actuator/health");
        }
    }

    static Stream<Arguments> invalidPlans() {
        return Stream.of(
                Arguments.of(
                        "unknown action",
                        """
                        name: p1
                        phases: {prepare: {steps: [{id: a, action: aws.nope}]}}
                        """,
                        "phases.prepare.steps[0].action",
                        "unknown action 'aws.nope'; known actions: aws.ecs.scaleService, gate, http.check, noop, wait"),
                Arguments.of(
                        "duplicate step id",
                                """
                        name: p1
                        phases:
                          prepare: {steps: [{id: a, action: noop}]}
                          freeze: {steps: [{id: a, action: noop}]}
                        """,
                        "phases.freeze.steps[0].id", "duplicate step id 'a'; first used at phases.prepare.steps[0].id"),
                Arguments.of(
                        "unknown phase",
                        """
                        name: p1
                        phases: {launch: {steps: [{id: a, action: noop}]}}
                        """,
                        "phases.launch",
                        "unknown phase 'launch'; valid phases are prepare, freeze, copy, verify, cutover, observe, cleanup"),
                Arguments.of(
                        "unknown field",
                                """
                        name: p1
                        phases:
                          cutover:
                            rollback: auto
                            steps: [{id: a, action: noop}]
                        """,
                        "phases.cutover.rollback", "unknown field 'rollback'"),
                Arguments.of(
                        "phase-level checks without onFailure",
                                """
                        name: p1
                        phases:
                          observe:
                            checks: [{id: up, action: noop}]
                            duration: PT30M
                        """,
                        "phases.observe", "onFailure"),
                Arguments.of(
                        "estimate longer than the window",
                                """
                        name: p1
                        phases:
                          cutover:
                            window: {start: "23:30", end: "00:30", zone: UTC}
                            steps: [{id: a, action: noop, estimate: PT2H}]
                        """,
                        "phases.cutover.steps[0].estimate", "longer than the maintenance window (PT1H)"),
                Arguments.of(
                        "unknown action in a phase-level check",
                                """
                        name: p1
                        phases:
                          observe:
                            checks: [{id: up, action: aws.nope}]
                            duration: PT30M
                            onFailure: rollback
                        """,
                        "phases.observe.checks[0].action", "unknown action 'aws.nope'"),
                Arguments.of(
                        "bad parameters of a check inside a gate step",
                                """
                        name: p1
                        phases:
                          observe:
                            steps:
                              - id: g
                                action: gate
                                with: {duration: PT1M, checks: [{id: up, action: http.check, with: {url: x, uri: x}}]}
                        """,
                        "phases.observe.steps[0].with.checks[0].with.uri", "unknown field 'uri'"),
                Arguments.of(
                        "bad template path",
                                """
                        name: p1
                        phases: {prepare: {steps: [{id: a, action: noop, with: {message: "home is ${env.HOME}"}}]}}
                        """,
                        "phases.prepare.steps[0].with.message", "bad template path '${env.HOME}'"),
                Arguments.of(
                        "forward step reference",
                        """
                        name: p1
                        phases:
                          prepare: {steps: [{id: a, action: noop, with: {message: "${steps.b.output.x}"}}]}
                          freeze: {steps: [{id: b, action: noop}]}
                        """,
                        "phases.prepare.steps[0].with.message",
                        "'${steps.b.output.x}': step 'b' runs later in the plan"),
                Arguments.of(
                        "step reads its own output outside compensate",
                                """
                        name: p1
                        phases: {prepare: {steps: [{id: a, action: noop, with: {message: "${steps.a.output.x}"}}]}}
                        """,
                        "phases.prepare.steps[0].with.message", "only in its compensate block"),
                Arguments.of(
                        "undeclared parameter",
                                """
                        name: p1
                        parameters: [{name: cluster, type: string}]
                        phases: {prepare: {steps: [{id: a, action: noop, with: {message: "${params.clustr}"}}]}}
                        """,
                        "phases.prepare.steps[0].with.message",
                                "'${params.clustr}' names no declared parameter; declared: cluster"),
                Arguments.of(
                        "bad duration",
                                """
                        name: p1
                        phases: {prepare: {steps: [{id: a, action: noop, timeout: 10m}]}}
                        """,
                        "phases.prepare.steps[0].timeout", "'10m' is not an ISO-8601 duration"),
                Arguments.of(
                        "schema violation in with",
                                """
                        name: p1
                        phases: {freeze: {steps: [{id: a, action: aws.ecs.scaleService,
                          with: {cluster: c, service: s, desiredCount: zero}}]}}
                        """,
                        "phases.freeze.steps[0].with.desiredCount", "integer expected"),
                Arguments.of(
                        "missing field in compensate.with",
                                """
                        name: p1
                        phases: {freeze: {steps: [{id: a, action: noop,
                          compensate: {action: aws.ecs.scaleService, with: {cluster: c, desiredCount: 1}}}]}}
                        """,
                        "phases.freeze.steps[0].compensate.with.service", "required field 'service' is missing"),
                Arguments.of(
                        "YAML syntax error",
                                """
                        name: p1
                        phases: {prepare: [unclosed
                        """,
                        "line 2, column 28", "expected ',' or ']'"),
                Arguments.of(
                        "wrong default type",
                                """
                        name: p1
                        parameters: [{name: count, type: integer, default: two}]
                        """,
                        "parameters[0].default",
                                "default does not match type integer: must be an integer, got a string"),
                Arguments.of(
                        "duplicate parameter",
                                """
                        name: p1
                        parameters: [{name: a, type: string}, {name: a, type: integer}]
                        """,
                        "parameters[1].name", "duplicate parameter name 'a'"),
                Arguments.of(
                        "bad name", """
                        name: Not A Name
                        """,
                        "name", "does not match the regex pattern"),
                Arguments.of(
                        "approval needs at least one approver",
                                """
                        name: p1
                        phases: {cutover: {approval: {required: 0}}}
                        """,
                        "phases.cutover.approval.required", "minimum"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPlans")
    void reportsEachKindOfProblemWhereItIs(String kind, String yaml, String location, String message) {
        PlanInvalidException e =
                catchThrowableOfType(PlanInvalidException.class, () -> parser.parse(yaml, SourceType.YAML));

        assertThat(e).as(kind).isNotNull();
        assertThat(e.problemType()).isEqualTo("plan-invalid");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.properties()).containsEntry("errors", e.errors());
        assertThat(e.errors()).as(kind).singleElement().satisfies(problem -> {
            assertThat(problem.location()).isEqualTo(location);
            assertThat(problem.message()).contains(message);
        });
    }

    @Test
    void phaseLevelChecksBecomeATrailingGateStepAndTheDocumentKeepsItsShape() {
        String yaml =
                """
                name: p1
                phases:
                  cutover:
                    alertRollback: false
                    window: {start: "03:00", end: "04:00", zone: UTC}
                    steps: [{id: switch, action: noop, estimate: PT20M}]
                  observe:
                    steps: [{id: settle, action: wait, with: {duration: PT1M}}]
                    checks:
                      - {id: up, action: http.check, with: {url: "http://127.0.0.1/health"}, consecutiveFailureLimit: 2}
                    duration: PT30M
                    interval: PT30S
                    onFailure: rollback
                """;
        ParsedPlan parsed = parser.read(yaml, SourceType.YAML);
        PlanDocument plan = parsed.document();

        assertThat(plan.phase(Phase.OBSERVE).steps())
                .extracting(StepSpec::id)
                .containsExactly("settle", "observe-gate");
        StepSpec gate = plan.step("observe-gate").orElseThrow();
        assertThat(gate.action()).isEqualTo("gate");
        assertThat(gate.rollbackOnFailure()).isTrue();
        assertThat(gate.with().get("duration").asText()).isEqualTo("PT30M");
        assertThat(gate.with().get("interval").asText()).isEqualTo("PT30S");
        assertThat(gate.with().at("/checks/0/consecutiveFailureLimit").asInt()).isEqualTo(2);
        assertThat(plan.phase(Phase.CUTOVER).alertRollback()).isFalse();
        assertThat(plan.phase(Phase.OBSERVE).alertRollback()).isNull();
        assertThat(plan.step("switch").orElseThrow().estimate()).isEqualTo(Duration.ofMinutes(20));
        assertThat(parsed.canonicalJson()).contains("\"checks\"").doesNotContain("observe-gate");
    }

    @Test
    void collectsEveryProblemInOnePass() {
        String yaml =
                """
                name: p1
                rollback: auto
                phases:
                  prepare: {steps: [{id: a, action: aws.nope, timeout: soon}]}
                  observe: {duration: PT30M, steps: [{id: a, action: noop, with: {message: "${job.owner}"}}]}
                """;
        PlanInvalidException e =
                catchThrowableOfType(PlanInvalidException.class, () -> parser.parse(yaml, SourceType.YAML));

        assertThat(e.errors())
                .extracting(PlanProblem::location)
                .containsExactlyInAnyOrder(
                        "rollback",
                        "phases.observe",
                        "phases.prepare.steps[0].action",
                        "phases.prepare.steps[0].timeout",
                        "phases.observe.steps[0].id",
                        "phases.observe.steps[0].with.message");
    }

    @Test
    void templatesMayHoldValuesOfAnyTypeAndCompensationsMayReadTheirOwnStep() {
        String yaml =
                """
                name: p1
                parameters: [{name: n, type: integer, default: 1}]
                phases:
                  freeze:
                    steps:
                      - id: a
                        action: aws.ecs.scaleService
                        with: {cluster: c, service: s, desiredCount: "${params.n}"}
                        compensate:
                          action: aws.ecs.scaleService
                          with: {cluster: c, service: s, desiredCount: "${steps.a.output.previous}"}
                """;
        assertThat(parser.parse(yaml, SourceType.YAML).steps()).hasSize(1);
    }

    @Test
    void rejectsJsonSyntaxErrorsWithTheirPosition() {
        PlanInvalidException e = catchThrowableOfType(
                PlanInvalidException.class, () -> parser.parse("{\"name\": \"p1\",\n  \"phases\": }", SourceType.JSON));

        assertThat(e.errors()).singleElement().satisfies(p -> assertThat(p.location())
                .isEqualTo("line 2, column 13"));
    }

    @Test
    void rejectsDuplicateKeysAndEmptyDocuments() {
        assertThat(catchThrowableOfType(
                                PlanInvalidException.class, () -> parser.parse("name: p1\nname: p2\n", SourceType.YAML))
                        .errors())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("Duplicate field 'name'"));
        assertThat(catchThrowableOfType(PlanInvalidException.class, () -> parser.parse("", SourceType.YAML))
                        .errors())
                .containsExactly(new PlanProblem("(document)", "the document is empty"));
    }
}
