package dev.ferry.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (browsable at {@code /swagger-ui.html}): generated
 * from the controllers by springdoc, then given what the code cannot say — bearer authentication,
 * an example for every request body, and an example of every problem {@code type} under the
 * statuses an operation can answer. {@code ApiDocumentationIT} checks that every problem slug in
 * the code and every request body has one.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    private static final String PROBLEM = "application/problem+json";

    /** Every problem type: slug, status, an example detail. */
    record ProblemExample(String slug, int status, String title, String detail) {}

    static final List<ProblemExample> PROBLEMS = List.of(
            new ProblemExample(
                    ProblemTypes.MALFORMED_BODY,
                    400,
                    "Malformed request body",
                    "line 1, column 17: Unexpected end-of-input"),
            new ProblemExample(ProblemTypes.UNKNOWN_FIELD, 400, "Unknown field", "unknown field 'nmae'"),
            new ProblemExample(ProblemTypes.INVALID_VALUE, 400, "Invalid value", "'soon' is not a valid Instant"),
            new ProblemExample(ProblemTypes.VALIDATION_FAILED, 400, "Validation failed", "reason: must not be blank"),
            new ProblemExample(
                    ProblemTypes.INVALID_PARAMETER,
                    400,
                    "Invalid parameter",
                    "limit: must be less than or equal to 500"),
            new ProblemExample(
                    "invalid-parameters",
                    400,
                    "Invalid parameters",
                    "parameters.cluster: required parameter is missing"),
            new ProblemExample(
                    "plan-invalid", 400, "Plan invalid", "phases.cutover.steps[0].action: unknown action 'aws.nope'"),
            new ProblemExample(
                    "invalid-cursor",
                    400,
                    "Invalid cursor",
                    "The cursor is not one this service returned; start from the first page"),
            new ProblemExample("invalid-alert", 400, "Invalid alert", "a generic alert needs jobId or labels"),
            new ProblemExample(
                    "sns-message-stale",
                    400,
                    "SNS message stale",
                    "Timestamp 2026-11-22T03:14:36.190Z is older than ferry.alerts.sns.max-age (PT1H)"),
            new ProblemExample(
                    "invalid-stream-position",
                    400,
                    "Invalid stream position",
                    "Last-Event-ID 'x' is not a position of the all-jobs stream"),
            new ProblemExample(
                    ProblemTypes.UNAUTHENTICATED, 401, "Authentication required", "send Authorization: Bearer <token>"),
            new ProblemExample(ProblemTypes.INVALID_TOKEN, 401, "Invalid token", "the bearer token was not accepted"),
            new ProblemExample(ProblemTypes.FORBIDDEN, 403, "Forbidden", "this needs the role operator"),
            new ProblemExample(
                    "separation-of-duties",
                    403,
                    "Separation of duties",
                    "alice created this job and cannot approve its phases"),
            new ProblemExample(
                    "approver-role-required",
                    403,
                    "Approver role required",
                    "approving CUTOVER needs one of the roles [approver, dba]"),
            new ProblemExample(
                    "alert-signature-invalid",
                    403,
                    "SNS message rejected",
                    "the SNS signature does not verify with the signing certificate"),
            new ProblemExample(
                    "sns-intake-disabled",
                    403,
                    "SNS intake disabled",
                    "no SNS topic is accepted: list the topic ARNs in ferry.alerts.sns.topics"),
            new ProblemExample(
                    "sns-topic-not-accepted",
                    403,
                    "SNS topic not accepted",
                    "topic arn:aws:sns:us-east-1:111122223333:other is not one of ferry.alerts.sns.topics"),
            new ProblemExample(
                    "sns-signature-version-refused",
                    403,
                    "SNS signature version refused",
                    "SignatureVersion '1' is not accepted; 2 is, and 1 only with"
                            + " ferry.alerts.sns.allow-signature-version1"),
            new ProblemExample(
                    "sns-url-refused",
                    403,
                    "SNS URL refused",
                    "SigningCertURL is not an Amazon SNS URL (https://sns.<region>.amazonaws.com/...)"),
            new ProblemExample(
                    "campaign-invalid",
                    400,
                    "Campaign invalid",
                    "waves[1].targets: no target named 'db-7'; targets[3] (db-4): no wave names or selects it"),
            new ProblemExample(
                    "campaign-not-found",
                    404,
                    "Campaign not found",
                    "No campaign 5d1c2e8a-9b0f-4c3d-8e7f-1a2b3c4d5e6f"),
            new ProblemExample(
                    "wave-not-found", 404, "Wave not found", "wave 4 does not exist; the campaign has waves 1 to 3"),
            new ProblemExample(
                    "campaign-command-not-allowed",
                    409,
                    "Campaign command not allowed",
                    "cannot resume a campaign that is SUCCEEDED; allowed: none"),
            new ProblemExample(
                    "wave-approval-not-open",
                    409,
                    "Wave approval not open",
                    "wave 2 is not awaiting approval (campaign RUNNING, current wave 1)"),
            new ProblemExample("job-not-found", 404, "Job not found", "No job 1b0e7c8e-0f7d-4a8e-9a57-3a1f2b8c9d01"),
            new ProblemExample("plan-not-found", 404, "Plan not found", "No plan named 'efs-encryptoin'"),
            new ProblemExample("phase-not-found", 404, "Phase not found", "'launch' is not a phase"),
            new ProblemExample("step-not-found", 404, "Step not found", "Job ... has no step 'snapshot'"),
            new ProblemExample(
                    "preview-not-found",
                    404,
                    "Preview not found",
                    "No approval of job ... was given for a preview with sha256 9f86d081..."),
            new ProblemExample(ProblemTypes.NOT_FOUND, 404, "Not found", "No endpoint GET /api/v1/jobz"),
            new ProblemExample(
                    ProblemTypes.METHOD_NOT_ALLOWED, 405, "Method not allowed", "DELETE is not supported here"),
            new ProblemExample(ProblemTypes.NOT_ACCEPTABLE, 406, "Not acceptable", "this endpoint answers JSON"),
            new ProblemExample(
                    "sns-message-replayed",
                    409,
                    "SNS message replayed",
                    "message 22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324 was already received"),
            new ProblemExample(
                    "transition-not-allowed",
                    409,
                    "Transition not allowed",
                    "cannot resume a job that is SUCCEEDED; allowed: none"),
            new ProblemExample(
                    "rollback-unavailable",
                    409,
                    "Rollback unavailable",
                    "step delete-old-fs is irreversible and has started: the point of no return is passed"),
            new ProblemExample(
                    "job-history-closed",
                    409,
                    "Job history closed",
                    "job 1b0e7c8e-0f7d-4a8e-9a57-3a1f2b8c9d01 is SUCCEEDED: its history is closed and nothing more is"
                            + " recorded for it"),
            new ProblemExample("approval-not-open", 409, "Approval not open", "phase CUTOVER is not awaiting approval"),
            new ProblemExample(
                    "phase-already-started",
                    409,
                    "Phase already started",
                    "phase CLEANUP is RUNNING; its start time can no longer be moved"),
            new ProblemExample(
                    "step-not-failed",
                    409,
                    "Step not failed",
                    "step copy is RUNNING; only a failed step can be skipped"),
            new ProblemExample(
                    "compensation-not-failed",
                    409,
                    "Compensation not stuck",
                    "the compensation of stop-backend has not failed"),
            new ProblemExample(
                    "resource-locked",
                    409,
                    "Resource locked",
                    "ecs:service:fluxion-cluster/fluxion-backend is held by job 7c1d..."),
            new ProblemExample(
                    "preflight-blocked",
                    422,
                    "Preflight blocked",
                    "preflight found 1 blocking problem(s): switch-dns: fluxion-ops may not call"
                            + " route53:ChangeResourceRecordSets (implicitDeny)"),
            new ProblemExample(ProblemTypes.CONFLICT, 409, "Conflict", "the job changed meanwhile; try again"),
            new ProblemExample(
                    ProblemTypes.CONCURRENT_CHANGE,
                    409,
                    "Concurrent change",
                    "Another request changed the same data at the same time; this request's change was not applied."
                            + " Send it again."),
            new ProblemExample(
                    ProblemTypes.PAYLOAD_TOO_LARGE, 413, "Payload too large", "request body exceeds 1048576 bytes"),
            new ProblemExample(
                    ProblemTypes.UNSUPPORTED_MEDIA_TYPE, 415, "Unsupported media type", "send application/json"),
            new ProblemExample(
                    "idempotency-key-reused",
                    422,
                    "Idempotency key reused",
                    "this Idempotency-Key was used for a different request"),
            new ProblemExample(
                    "secret-key-missing",
                    422,
                    "No key to seal secrets with",
                    "parameter dbPassword cannot be accepted: this Ferry has no ferry.security.secret-key"),
            new ProblemExample(
                    "invalid-notification-target",
                    400,
                    "Invalid notification target",
                    "notifications[0].url: a webhook needs an https URL"),
            new ProblemExample(
                    "evidence-missing",
                    400,
                    "Evidence missing",
                    "evidence.url: an http(s) link is required (a ticket, a dashboard)"),
            new ProblemExample(
                    "manual-step-forbidden",
                    403,
                    "Role required",
                    "step notify-team may be completed or declined only by the role operator"),
            new ProblemExample(
                    "not-a-manual-step",
                    409,
                    "Not a manual step",
                    "step copy runs the action aws.s3.copyPrefix; only manual steps are completed by a person"),
            new ProblemExample(
                    "manual-step-not-waiting",
                    409,
                    "Manual step not waiting",
                    "step notify-team is SUCCEEDED; it can be completed or declined only while it waits for a person"),
            new ProblemExample(
                    "manual-step-busy",
                    409,
                    "Manual step busy",
                    "step notify-team is being looked at by a worker right now; send the decision again"),
            new ProblemExample(
                    ProblemTypes.INTERNAL_ERROR,
                    500,
                    "Internal error",
                    "something went wrong; the log has the details under this request's id"),
            new ProblemExample(
                    ProblemTypes.SERVICE_UNAVAILABLE,
                    503,
                    "Service unavailable",
                    "the database cannot be reached; retry after the Retry-After delay"),
            new ProblemExample(
                    "audit-signing-key-missing",
                    503,
                    "No audit signing key",
                    "this Ferry has no ferry.audit.signing-key, so it cannot sign audit heads"),
            new ProblemExample(
                    "too-many-streams",
                    503,
                    "Too many event streams",
                    "this replica serves at most 500 event streams; retry later"),
            new ProblemExample(
                    "too-many-streams-for-subject",
                    429,
                    "Too many event streams for one caller",
                    "dashboard already has 4 open event streams on this replica (ferry.streams.max-per-subject);"
                            + " close one, or retry later"),
            new ProblemExample(
                    "rate-limited",
                    429,
                    "Too many requests",
                    "dashboard is over its rate limit for audit-verify (ferry.audit.verify.calls per"
                            + " ferry.audit.verify.period); retry after 2 s"));

    /** Request body examples, by "METHOD path" as springdoc lists paths. */
    private static final Map<String, Object> REQUESTS = Map.ofEntries(
            Map.entry(
                    "POST /api/v1/jobs",
                    Map.of(
                            "plan",
                            "efs-encryption",
                            "name",
                            "fluxion EFS to KMS",
                            "parameters",
                            Map.of("cluster", "fluxion-cluster", "service", "fluxion-backend"),
                            "rehearsal",
                            false)),
            Map.entry(
                    "POST /api/v1/plans",
                    Map.of(
                            "name",
                            "hello",
                            "phases",
                            Map.of("prepare", Map.of("steps", List.of(Map.of("id", "hi", "action", "noop")))))),
            Map.entry("POST /api/v1/plans/{name}/preview", Map.of("parameters", Map.of("cluster", "fluxion-cluster"))),
            Map.entry("POST /api/v1/jobs/{id}/{command}", Map.of("reason", "maintenance window moved")),
            Map.entry(
                    "POST /api/v1/jobs/{id}/start",
                    Map.of(
                            "skipPreflight",
                            true,
                            "reason",
                            "IAM simulation is denied to us in this account; permissions checked by hand (OPS-12)")),
            Map.entry("POST /api/v1/jobs/{id}/rollback", Map.of("reason", "5xx rate above 5 % after the cutover")),
            Map.entry("POST /api/v1/jobs/{id}/phases/{phase}/approve", Map.of("comment", "checked the preview")),
            Map.entry("POST /api/v1/jobs/{id}/phases/{phase}/reject", Map.of("comment", "backup not verified")),
            Map.entry(
                    "POST /api/v1/jobs/{id}/phases/{phase}/not-before",
                    Map.of("at", "2026-11-30T07:00:00Z", "reason", "one more day of observation")),
            Map.entry(
                    "POST /api/v1/jobs/{id}/steps/{stepId}/skip", Map.of("reason", "done by hand, see ticket OPS-12")),
            Map.entry(
                    "POST /api/v1/jobs/{id}/steps/{stepId}/{decision}",
                    Map.of(
                            "note",
                            "announced in #fluxion-ops",
                            "evidence",
                            Map.of("url", "https://chat.example.com/archives/C01/p1732246476"))),
            Map.entry(
                    "POST /api/v1/jobs/{id}/steps/{stepId}/compensation/retry",
                    Map.of("reason", "the stack is no longer locked")),
            Map.entry(
                    "POST /api/v1/jobs/{id}/steps/{stepId}/compensation/done",
                    Map.of("reason", "scaled the service back by hand")),
            Map.entry(
                    "POST /api/v1/campaigns",
                    Map.of(
                            "name",
                            "rehearse the fleet",
                            "plan",
                            "rehearsal",
                            "targetsCsv",
                            "name,label.tier,settle\ncanary-1,canary,PT1S\nweb-1,web,PT1S\nweb-2,web,PT1S",
                            "waves",
                            List.of(
                                    Map.of("name", "canary", "selector", Map.of("tier", "canary")),
                                    Map.of(
                                            "name",
                                            "web",
                                            "selector",
                                            Map.of("tier", "web"),
                                            "maxConcurrent",
                                            2,
                                            "approval",
                                            Map.of("required", 1, "roles", List.of("approver")),
                                            "soak",
                                            "PT10M")),
                            "failurePolicy",
                            Map.of("maxFailures", 1, "rollbackWave", true))),
            Map.entry("POST /api/v1/campaigns/{id}/{command}", Map.of("reason", "change freeze until Monday")),
            Map.entry("POST /api/v1/campaigns/{id}/rollback", Map.of("reason", "error budget burnt in eu-west-1")),
            Map.entry("POST /api/v1/campaigns/{id}/waves/{wave}/approve", Map.of("comment", "canary healthy for 1 h")),
            Map.entry(
                    "POST /api/v1/campaigns/{id}/waves/{wave}/phases/{phase}/approve",
                    Map.of("comment", "previews of the wave checked")),
            Map.entry(
                    "POST /api/v1/alerts/generic",
                    Map.of(
                            "jobId",
                            "1b0e7c8e-0f7d-4a8e-9a57-3a1f2b8c9d01",
                            "reason",
                            "synthetic check failing",
                            "fingerprint",
                            "synthetic-42")),
            Map.entry(
                    "POST /api/v1/alerts/alertmanager",
                    Map.of(
                            "version",
                            "4",
                            "status",
                            "firing",
                            "receiver",
                            "ferry",
                            "groupKey",
                            "{}:{alertname=\"BackendHighErrorRate\"}",
                            "alerts",
                            List.of(Map.of(
                                    "status",
                                    "firing",
                                    "fingerprint",
                                    "6a3f2c9b1e07d4c5",
                                    "labels",
                                    Map.of("alertname", "BackendHighErrorRate", "service", "fluxion-backend"),
                                    "annotations",
                                    Map.of("summary", "5xx above 5 %"),
                                    "startsAt",
                                    "2026-11-22T03:14:00Z")))),
            Map.entry(
                    "POST /api/v1/alerts/sns",
                    Map.of(
                            "Type",
                            "Notification",
                            "MessageId",
                            "22b80b92-fdea-4c2c",
                            "TopicArn",
                            "arn:aws:sns:us-east-1:123456789012:ferry-alarms",
                            "Message",
                            "{\"AlarmName\":\"fluxion-5xx\",\"NewStateValue\":\"ALARM\"}",
                            "Timestamp",
                            "2026-11-22T03:14:36.000Z",
                            "SignatureVersion",
                            "2",
                            "Signature",
                            "...",
                            "SigningCertURL",
                            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem")));

    @Bean
    OpenAPI ferryOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Ferry")
                        .version("v1")
                        .description(
                                "Infrastructure migrations on AWS as durable, auditable jobs. Errors are RFC 9457 problem"
                                        + " details whose type is https://ferry.dev/problems/<slug>."))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description(
                                                "A static API token or an OIDC JWT; roles viewer, operator, approver,"
                                                        + " alerter, admin")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OpenApiCustomizer problemsAndExamples() {
        return openApi -> {
            Schema<?> problem = new Schema<>()
                    .type("object")
                    .description("RFC 9457 problem details")
                    .addProperty("type", new Schema<>().type("string").format("uri"))
                    .addProperty("title", new Schema<>().type("string"))
                    .addProperty("status", new Schema<>().type("integer"))
                    .addProperty("detail", new Schema<>().type("string"))
                    .addProperty("instance", new Schema<>().type("string"));
            openApi.getComponents().addSchemas("Problem", problem);
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                document(path, method, operation);
            }));
        };
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            Object example = REQUESTS.get(method + " " + path);
            if (example != null) {
                operation.getRequestBody().getContent().values().forEach(media -> media.setExample(example));
            }
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        Map<Integer, Map<String, Example>> byStatus = new LinkedHashMap<>();
        for (ProblemExample p : PROBLEMS) {
            if (applies(p, path, method)) {
                byStatus.computeIfAbsent(p.status(), s -> new LinkedHashMap<>())
                        .put(
                                p.slug(),
                                new Example()
                                        .summary(p.title())
                                        .value(Map.of(
                                                "type",
                                                ProblemTypes.BASE + p.slug(),
                                                "title",
                                                p.title(),
                                                "status",
                                                p.status(),
                                                "detail",
                                                p.detail())));
            }
        }
        byStatus.forEach((status, examples) -> responses.addApiResponse(
                String.valueOf(status),
                new ApiResponse()
                        .description(examples.values().iterator().next().getSummary()
                                + (examples.size() > 1 ? " and others" : ""))
                        .content(new Content()
                                .addMediaType(
                                        PROBLEM,
                                        new MediaType()
                                                .schema(new Schema<>().$ref("#/components/schemas/Problem"))
                                                .examples(examples)))));
        operation.setResponses(responses);
    }

    /** Which problems an operation can answer: the general ones everywhere, the specific ones where they arise. */
    private static boolean applies(ProblemExample p, String path, PathItem.HttpMethod method) {
        boolean post = method == PathItem.HttpMethod.POST;
        boolean job = path.startsWith("/api/v1/jobs/{id}");
        boolean campaign = path.startsWith("/api/v1/campaigns/{id}");
        return switch (p.slug()) {
            case "malformed-body",
                    "unknown-field",
                    "invalid-value",
                    "validation-failed",
                    "payload-too-large",
                    "unsupported-media-type" -> post;
            case "invalid-parameters" -> path.equals("/api/v1/jobs") || path.endsWith("/preview");
            case "plan-invalid" -> path.equals("/api/v1/plans") && post;
            case "invalid-cursor" -> path.equals("/api/v1/jobs") && !post;
            case "invalid-alert" -> path.startsWith("/api/v1/alerts/");
            case "alert-signature-invalid",
                    "sns-intake-disabled",
                    "sns-topic-not-accepted",
                    "sns-message-stale",
                    "sns-message-replayed",
                    "sns-signature-version-refused",
                    "sns-url-refused" -> path.endsWith("/alerts/sns");
            case "invalid-stream-position", "too-many-streams", "too-many-streams-for-subject" -> path.endsWith(
                    "/stream");
            case "rate-limited" -> path.equals("/api/v1/audit/verify");
            case "separation-of-duties", "approver-role-required", "approval-not-open" -> path.endsWith("/approve")
                    || path.endsWith("/reject");
            case "job-not-found" -> job;
            case "plan-not-found" -> path.startsWith("/api/v1/plans/{name}")
                    || (path.equals("/api/v1/jobs") || path.equals("/api/v1/campaigns")) && post;
            case "phase-not-found" -> path.contains("{phase}");
            case "step-not-found", "step-not-failed" -> path.contains("{stepId}");
            case "preview-not-found" -> path.endsWith("/previews/{sha256}");
            case "compensation-not-failed" -> path.contains("/compensation/");
            case "evidence-missing",
                    "manual-step-forbidden",
                    "not-a-manual-step",
                    "manual-step-not-waiting",
                    "manual-step-busy" -> path.endsWith("/{decision}");
            case "transition-not-allowed", "job-history-closed" -> job && post;
            case "audit-signing-key-missing" -> path.startsWith("/api/v1/audit/heads");
            case "rollback-unavailable" -> path.endsWith("/rollback");
            case "phase-already-started" -> path.endsWith("/not-before");
            case "resource-locked", "preflight-blocked" -> path.endsWith("/start");
            case "idempotency-key-reused" -> (path.equals("/api/v1/jobs") || path.equals("/api/v1/campaigns")) && post;
            case "invalid-notification-target", "secret-key-missing" -> path.equals("/api/v1/jobs") && post;
            case "conflict" -> job && post;
            case "campaign-invalid" -> path.equals("/api/v1/campaigns") && post;
            case "campaign-not-found" -> campaign;
            case "wave-not-found" -> path.contains("{wave}");
            case "campaign-command-not-allowed" -> campaign && post && !path.endsWith("/approve");
            case "wave-approval-not-open" -> path.endsWith("/waves/{wave}/approve");
            default -> true; // unauthenticated, invalid-token, forbidden, not-found, 405, 406, 500, 503
        };
    }
}
