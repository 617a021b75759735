package dev.ferry.action.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.DeclaredAction;
import dev.ferry.action.StepParameters;
import dev.ferry.action.ActionResult;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Asks an HTTP endpoint, once per call, whether it is healthy, until it has answered as expected
 * {@code consecutiveSuccesses} times in a row. {@code failureThreshold} unhealthy answers in a row
 * (connection errors and timeouts included) fail the step as retryable {@code CHECK_FAILED}. The
 * counters travel in the progress object, so the check survives restarts.
 */
@Component
public class HttpCheckAction extends DeclaredAction {

    public static final String NAME = "http.check";
    static final String CHECK_FAILED = "CHECK_FAILED";
    /** Enough for any health document; bigger bodies are not read further. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    /** How much of the last body to keep in the output, which is persisted and shown. */
    static final int MAX_BODY_IN_OUTPUT = 1024;

    private final HttpClient client;

    @Autowired
    public HttpCheckAction() {
        // Redirects are not followed: a check that expects 200 must not pass on a login page.
        this(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(HttpCheckSettings.DEFAULT_REQUEST_TIMEOUT)
                .build());
    }

    HttpCheckAction(HttpClient client) {
        super(NAME);
        this.client = client;
    }

    @Override
    public ActionResult execute(ActionContext context) {
        HttpCheckSettings settings = HttpCheckSettings.from(context.parameters());
        ObjectNode progress = context.progress() == null
                ? JsonNodeFactory.instance.objectNode() : context.progress().deepCopy();
        HttpObservation seen;
        try {
            seen = observe(settings);
        } catch (InterruptedException e) {
            // Shutting down: keep the counters as they were and let whoever runs next ask again.
            Thread.currentThread().interrupt();
            return ActionResult.inProgress(settings.interval(), progress, "interrupted before an answer");
        }
        return seen.healthy() ? success(settings, progress, seen) : failure(settings, progress, seen);
    }

    private ActionResult success(HttpCheckSettings settings, ObjectNode progress, HttpObservation seen) {
        int successes = progress.path("successes").asInt(0) + 1;
        progress.put("successes", successes).put("failures", 0).put("lastStatus", seen.status());
        progress.remove("lastFailure");
        if (successes >= settings.consecutiveSuccesses()) {
            ObjectNode output = JsonNodeFactory.instance.objectNode()
                    .put("status", seen.status())
                    .put("successes", successes);
            if (seen.body() != null && !seen.body().isEmpty()) {
                output.put("lastBody", truncate(seen.body()));
            }
            return ActionResult.succeeded(output);
        }
        return ActionResult.inProgress(settings.interval(), progress,
                successes + " of " + settings.consecutiveSuccesses() + " consecutive successes");
    }

    private ActionResult failure(HttpCheckSettings settings, ObjectNode progress, HttpObservation seen) {
        int failures = progress.path("failures").asInt(0) + 1;
        progress.put("successes", 0).put("failures", failures).put("lastFailure", seen.mismatch());
        if (seen.status() == null) {
            progress.putNull("lastStatus");
        } else {
            progress.put("lastStatus", seen.status());
        }
        if (failures >= settings.failureThreshold()) {
            String message = settings.method() + " " + settings.url() + ": " + seen.mismatch()
                    + " (" + failures + " consecutive failures)";
            ObjectNode detail = JsonNodeFactory.instance.objectNode()
                    .put("url", settings.url().toString())
                    .put("expected", settings.expectation())
                    .put("got", seen.mismatch())
                    .put("failures", failures);
            return new ActionResult.Failed(true, CHECK_FAILED, message, detail);
        }
        return ActionResult.inProgress(settings.interval(), progress,
                seen.mismatch() + " (" + failures + " of " + settings.failureThreshold() + " allowed failures)");
    }

    private HttpObservation observe(HttpCheckSettings settings) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(settings.url())
                .method(settings.method(), HttpRequest.BodyPublishers.noBody())
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json, */*;q=0.5")
                .header("User-Agent", "ferry-http-check")
                .build();
        CompletableFuture<HttpResponse<BoundedBodySubscriber.Body>> call =
                client.sendAsync(request, info -> new BoundedBodySubscriber(MAX_BODY_BYTES));
        try {
            // The request timeout covers the headers only; this bounds the body as well.
            HttpResponse<BoundedBodySubscriber.Body> response =
                    call.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return HttpObservation.of(settings, response.statusCode(), response.body());
        } catch (TimeoutException e) {
            call.cancel(true);
            return HttpObservation.unreachable(settings, "no complete answer within " + settings.requestTimeout());
        } catch (ExecutionException e) {
            return HttpObservation.unreachable(settings, describe(e.getCause()));
        }
    }

    private static String describe(Throwable error) {
        if (error instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time (" + error.getMessage() + ")";
        }
        String kind = error instanceof IOException ? "connection error " : "error ";
        String message = error.getMessage();
        return kind + error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String truncate(String body) {
        return body.length() <= MAX_BODY_IN_OUTPUT ? body : body.substring(0, MAX_BODY_IN_OUTPUT) + "…";
    }

    @Override
    public String describe(JsonNode parameters) {
        HttpCheckSettings settings = HttpCheckSettings.from(parameters);
        return settings.method() + " " + settings.url() + " every " + settings.interval()
                + " until " + settings.expectation() + " " + settings.consecutiveSuccesses()
                + " time(s) in a row; fail after " + settings.failureThreshold() + " consecutive failures";
    }
}
