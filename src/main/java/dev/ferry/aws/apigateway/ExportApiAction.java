package dev.ferry.aws.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionFailure;
import dev.ferry.action.ActionResult;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import dev.ferry.aws.AwsAction;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import dev.ferry.aws.CallArguments;
import dev.ferry.aws.s3.BackupDocuments;
import dev.ferry.aws.s3.S3Location;
import dev.ferry.aws.s3.S3Objects;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code aws.apigateway.exportApi}: exports a REST API stage with GetExport (OpenAPI 3 JSON by
 * default, with the API Gateway extensions so integrations and authorizers are in it) together
 * with GetRestApi and GetStage, as one JSON document in S3 at a key derived from the step's
 * idempotency token. An existing backup at that key is kept, so a retry never replaces the
 * pre-migration export. Not compensable: a backup is kept on rollback.
 */
@Component
public class ExportApiAction extends AwsAction {

    public static final String NAME = "aws.apigateway.exportApi";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ExportApiAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String api = with.path("restApiId").asText();
        String stage = with.path("stageName").asText();
        S3Location location = new S3Location(
                with.path("bucket").asText(),
                with.path("prefix").asText("ferry-backups/") + "apigateway/" + api + "/" + stage + "/"
                        + context.idempotencyToken() + ".json");
        S3Client s3 = clients.s3(target);
        ObjectNode described = BackupDocuments.existing(s3, location)
                .orElseGet(() -> BackupDocuments.store(
                        s3,
                        location,
                        document(
                                clients.client("apigateway", ApiGatewayClient::builder, target),
                                api,
                                stage,
                                with.path("exportType").asText("oas30")),
                        with.hasNonNull("kmsKeyId") ? with.get("kmsKeyId").asText() : null));
        return ActionResult.succeeded(described
                .put("restApiId", api)
                .put("stageName", stage)
                .put("exportType", with.path("exportType").asText("oas30")));
    }

    private static JsonNode document(ApiGatewayClient apiGateway, String api, String stage, String exportType) {
        byte[] body = apiGateway
                .getExport(r -> r.restApiId(api)
                        .stageName(stage)
                        .exportType(exportType)
                        .accepts("application/json")
                        .parameters(Map.of("extensions", "apigateway")))
                .body()
                .asByteArray();
        ObjectNode doc = JsonNodeFactory.instance
                .objectNode()
                .put("kind", "ferry/apigateway-rest-api-export")
                .put("restApiId", api)
                .put("stageName", stage)
                .put("exportType", exportType);
        doc.set("export", parse(body, api, stage));
        doc.set("restApi", BackupDocuments.toJson(apiGateway.getRestApi(r -> r.restApiId(api))));
        doc.set("stage", BackupDocuments.toJson(apiGateway.getStage(r -> r.restApiId(api)
                .stageName(stage))));
        return doc;
    }

    private static JsonNode parse(byte[] body, String api, String stage) {
        try {
            return Optional.ofNullable(JSON.readTree(body)).orElseThrow(IOException::new);
        } catch (IOException e) {
            throw new ActionFailure(
                    false,
                    "EXPORT_NOT_JSON",
                    "GetExport of " + api + "/" + stage + " did not return a JSON document",
                    e);
        }
    }

    @Override
    public String describe(JsonNode with) {
        return "Export REST API " + with.path("restApiId").asText() + " stage "
                + with.path("stageName").asText()
                + " (" + with.path("exportType").asText("oas30") + ", with API Gateway extensions) as JSON to s3://"
                + with.path("bucket").asText() + "/" + with.path("prefix").asText("ferry-backups/")
                + "apigateway/ (kept on rollback)";
    }

    /** An earlier export of this step is looked for; otherwise the API is exported, read and stored. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        ObjectNode api = CallArguments.of("restApiId", with.path("restApiId"), "stageName", with.path("stageName"));
        String key = with.path("prefix").asText("ferry-backups/") + "apigateway/"
                + with.path("restApiId").asText() + "/" + with.path("stageName").asText() + "/(step token).json";
        return List.of(
                S3Objects.plannedHead(with.path("bucket"), key),
                PlannedCall.read(
                        API_GATEWAY,
                        "GetExport",
                        "apigateway:GET",
                        api.deepCopy().put("exportType", with.path("exportType").asText("oas30"))),
                PlannedCall.read(
                        API_GATEWAY,
                        "GetRestApi",
                        "apigateway:GET",
                        CallArguments.of("restApiId", with.path("restApiId"))),
                PlannedCall.read(API_GATEWAY, "GetStage", "apigateway:GET", api),
                S3Objects.plannedPut(with.path("bucket"), key, with.path("kmsKeyId")));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        String api = with.path("restApiId").asText();
        String stage = with.path("stageName").asText();
        clients.client("apigateway", ApiGatewayClient::builder, target)
                .getStage(r -> r.restApiId(api).stageName(stage));
        return List.of(
                PreflightFinding.ok("resource-exists", "apigateway:" + api + "/" + stage, "stage exists"),
                S3Objects.inspectBucket(clients.s3(target), with.path("bucket").asText()));
    }

    private static final String API_GATEWAY = "ApiGateway";
}
