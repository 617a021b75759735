package dev.ferry.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Counts and times every SDK call ({@code ferry.aws.calls}: service, operation, outcome) and
 * notes its request id in the {@link AwsCallLog}.
 */
final class AwsCallObserver implements ExecutionInterceptor {

    private static final ExecutionAttribute<Timer.Sample> SAMPLE = new ExecutionAttribute<>("ferry.sample");

    private final MeterRegistry meters;

    AwsCallObserver(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(SAMPLE, Timer.start(meters));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkHttpResponse response = context.httpResponse();
        finish(attributes, "success", response.statusCode(), requestId(response));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        if (failure instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null
                    ? "unknown"
                    : aws.awsErrorDetails().errorCode();
            finish(attributes, code == null ? "unknown" : code, aws.statusCode(), aws.requestId());
        } else {
            finish(attributes, "client-error", 0, null);
        }
    }

    private void finish(ExecutionAttributes attributes, String outcome, int status, String requestId) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Timer.Sample sample = attributes.getAttribute(SAMPLE);
        if (sample != null) {
            sample.stop(Timer.builder("ferry.aws.calls")
                    .description("AWS SDK calls made by steps")
                    .tag("service", String.valueOf(service))
                    .tag("operation", String.valueOf(operation))
                    .tag("outcome", outcome)
                    .register(meters));
        }
        AwsCallLog.record(service, operation, status, requestId);
    }

    private static String requestId(SdkHttpResponse response) {
        return response.firstMatchingHeader("x-amzn-RequestId")
                .or(() -> response.firstMatchingHeader("x-amz-request-id"))
                .or(() -> response.firstMatchingHeader("x-amzn-requestid"))
                .orElse(null);
    }
}
