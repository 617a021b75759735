package dev.ferry.aws.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
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
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code aws.lambda.exportConfiguration}: backs up a function's configuration (GetFunction,
 * GetFunctionConfiguration, its resource policy if any, its aliases) as one JSON document in S3.
 * The key is derived from the step's idempotency token, and an existing backup at that key is
 * kept: a retry must not replace the pre-migration backup with a later state. The code's
 * pre-signed download URL is left out (it expires in minutes and carries a signature); the code's
 * SHA-256 and size identify it. Not compensable: a backup is kept on rollback.
 */
@Component
public class ExportConfigurationAction extends AwsAction {

    public static final String NAME = "aws.lambda.exportConfiguration";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ExportConfigurationAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties);
    }

    @Override
    protected ActionResult run(ActionContext context, AwsTarget target) {
        JsonNode with = context.parameters();
        String function = with.path("functionName").asText();
        S3Location location = new S3Location(
                with.path("bucket").asText(),
                with.path("prefix").asText("ferry-backups/")
                        + "lambda/" + function.replaceAll(".*:function:", "").replaceAll("[^A-Za-z0-9_.-]", "_") + "/"
                        + context.idempotencyToken() + ".json");
        S3Client s3 = clients.s3(target);
        Optional<ObjectNode> existing = BackupDocuments.existing(s3, location);
        if (existing.isPresent()) {
            return ActionResult.succeeded(existing.get().put("functionName", function));
        }
        JsonNode document = document(
                clients.client("lambda", LambdaClient::builder, target),
                function,
                with.hasNonNull("qualifier") ? with.get("qualifier").asText() : null);
        ObjectNode stored = BackupDocuments.store(
                s3,
                location,
                document,
                with.hasNonNull("kmsKeyId") ? with.get("kmsKeyId").asText() : null);
        return ActionResult.succeeded(stored.put("functionName", function)
                .put("functionArn", document.at("/configuration/FunctionArn").asText()));
    }

    private static JsonNode document(LambdaClient lambda, String function, String qualifier) {
        GetFunctionResponse got =
                lambda.getFunction(r -> r.functionName(function).qualifier(qualifier));
        ObjectNode doc = JsonNodeFactory.instance
                .objectNode()
                .put("kind", "ferry/lambda-function-configuration")
                .put("functionName", function)
                .put("qualifier", qualifier);
        ObjectNode functionJson = (ObjectNode) BackupDocuments.toJson(got);
        if (functionJson.path("Code").isObject()) {
            ((ObjectNode) functionJson.get("Code")).remove("Location");
        }
        doc.set("function", functionJson);
        doc.set("configuration", BackupDocuments.toJson(lambda.getFunctionConfiguration(r -> r.functionName(function)
                .qualifier(qualifier))));
        doc.set("policy", policy(lambda, function, qualifier));
        ArrayNode aliases = doc.putArray("aliases");
        lambda.listAliasesPaginator(r -> r.functionName(function))
                .aliases()
                .forEach(a -> aliases.add(BackupDocuments.toJson(a)));
        return doc;
    }

    /** The resource policy as a JSON object, or null: most functions invoked only by their owner have none. */
    private static JsonNode policy(LambdaClient lambda, String function, String qualifier) {
        try {
            String policy = lambda.getPolicy(r -> r.functionName(function).qualifier(qualifier))
                    .policy();
            return JSON.readTree(policy);
        } catch (ResourceNotFoundException none) {
            return JsonNodeFactory.instance.nullNode();
        } catch (JsonProcessingException e) {
            return JsonNodeFactory.instance.nullNode();
        }
    }

    @Override
    public String describe(JsonNode with) {
        return "Back up the configuration, resource policy and aliases of Lambda function "
                + with.path("functionName").asText() + " as JSON to s3://"
                + with.path("bucket").asText() + "/"
                + with.path("prefix").asText("ferry-backups/") + "lambda/ (kept on rollback)";
    }

    /** An earlier backup of this step is looked for; otherwise the function is read and stored. */
    @Override
    public List<PlannedCall> plannedCalls(JsonNode with) {
        ObjectNode function =
                CallArguments.of("functionName", with.path("functionName"), "qualifier", with.path("qualifier"));
        String key = with.path("prefix").asText("ferry-backups/") + "lambda/"
                + with.path("functionName")
                        .asText()
                        .replaceAll(".*:function:", "")
                        .replaceAll("[^A-Za-z0-9_.-]", "_") + "/(step token).json";
        return List.of(
                S3Objects.plannedHead(with.path("bucket"), key),
                PlannedCall.read(LAMBDA, "GetFunction", "lambda:GetFunction", function),
                PlannedCall.read(LAMBDA, "GetFunctionConfiguration", "lambda:GetFunctionConfiguration", function),
                PlannedCall.read(LAMBDA, "GetPolicy", "lambda:GetPolicy", function),
                PlannedCall.read(
                        LAMBDA,
                        "ListAliases",
                        "lambda:ListAliases",
                        CallArguments.of("functionName", with.path("functionName"))),
                S3Objects.plannedPut(with.path("bucket"), key, with.path("kmsKeyId")));
    }

    @Override
    protected List<PreflightFinding> inspect(JsonNode with, AwsTarget target) {
        String function = with.path("functionName").asText();
        String state = clients.client("lambda", LambdaClient::builder, target)
                .getFunctionConfiguration(r -> r.functionName(function))
                .stateAsString();
        return List.of(
                PreflightFinding.ok("resource-exists", "lambda:" + function, "state " + state),
                S3Objects.inspectBucket(clients.s3(target), with.path("bucket").asText()));
    }

    private static final String LAMBDA = "Lambda";
}
