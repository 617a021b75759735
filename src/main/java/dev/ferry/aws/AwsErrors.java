package dev.ferry.aws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Classifies SDK failures: throttling, 5xx and network trouble may pass on another attempt;
 * access denied, validation and not-found will not, and are shown with AWS's own code and message.
 */
final class AwsErrors {

    private static final Set<String> RETRYABLE_CODES = Set.of(
            "RequestTimeout",
            "RequestTimeoutException",
            "PriorRequestNotComplete",
            "ServiceUnavailable",
            "InternalError",
            "InternalFailure",
            "TransactionInProgressException",
            "RequestLimitExceeded");

    private AwsErrors() {}

    static ActionResult.Failed classify(SdkException failure) {
        if (failure instanceof AwsServiceException aws) {
            String code =
                    aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            String message = aws.awsErrorDetails() == null
                    ? aws.getMessage()
                    : aws.awsErrorDetails().errorMessage();
            if (message == null) {
                message = "HTTP " + aws.statusCode() + " without an error message";
            }
            String service = aws.awsErrorDetails() == null
                    ? "AWS"
                    : aws.awsErrorDetails().serviceName();
            boolean retryable = aws.isThrottlingException()
                    || aws.statusCode() >= 500
                    || (code != null && RETRYABLE_CODES.contains(code));
            ObjectNode detail = JsonNodeFactory.instance
                    .objectNode()
                    .put("awsErrorCode", code)
                    .put("statusCode", aws.statusCode())
                    .put("requestId", aws.requestId())
                    .put("service", service);
            return new ActionResult.Failed(
                    retryable,
                    code == null ? "AWS_ERROR" : code,
                    service + ": " + (code == null ? "" : code + ": ") + message,
                    detail);
        }
        boolean retryable = failure instanceof SdkClientException || failure.retryable();
        return new ActionResult.Failed(
                retryable,
                "AWS_CLIENT_ERROR",
                String.valueOf(failure.getMessage()),
                JsonNodeFactory.instance.objectNode());
    }
}
