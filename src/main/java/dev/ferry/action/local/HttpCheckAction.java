package dev.ferry.action.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionContext;
import dev.ferry.action.ActionResult;
import dev.ferry.action.DeclaredAction;
import dev.ferry.common.net.AddressRefusedException;
import dev.ferry.common.net.GuardedHttpClients;
import dev.ferry.common.net.HostResolver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Asks an HTTP endpoint, once per call, whether it is healthy, until it has answered as expected
 * {@code consecutiveSuccesses} times in a row. {@code failureThreshold} unhealthy answers in a row
 * (connection errors and timeouts included) fail the step as retryable {@code CHECK_FAILED}. The
 * counters travel in the progress object, so the check survives restarts.
 *
 * <p>A job's parameters choose the URL, so the connection goes only to an address
 * {@link HttpCheckProperties} allows, checked on the address actually connected to; a refused
 * address fails the step at once as non-retryable {@code ADDRESS_REFUSED}, naming the rule. The
 * output keeps what the check decided (status, the value at the JSON pointer, latency), never the
 * body.
 */
@Component
public class HttpCheckAction extends DeclaredAction implements DisposableBean {

    public static final String NAME = "http.check";
    static final String CHECK_FAILED = "CHECK_FAILED";
    static final String ADDRESS_REFUSED = "ADDRESS_REFUSED";
    /** Enough for any health document; bigger bodies are not read further. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    /** Bounds connecting; the request timeout of each check bounds the whole answer. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final CloseableHttpClient client;
    // Ends a call that is still going at its request timeout (a body trickling in byte by byte).
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "http-check-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    @Autowired
    public HttpCheckAction(HttpCheckProperties properties) {
        this(properties, HostResolver.SYSTEM);
    }

    HttpCheckAction(HttpCheckProperties properties, HostResolver resolver) {
        super(NAME);
        // Redirects are not followed: a check that expects 200 must not pass on a login page.
        this.client = GuardedHttpClients.create(properties.policy(), resolver, CONNECT_TIMEOUT);
    }

    @Override
    public ActionResult execute(ActionContext context) {
        HttpCheckSettings settings = HttpCheckSettings.from(context.parameters());
        ObjectNode progress = context.progress() == null
                ? JsonNodeFactory.instance.objectNode()
                : context.progress().deepCopy();
        HttpObservation seen;
        try {
            seen = observe(settings);
        } catch (AddressRefusedException e) {
            ObjectNode detail = JsonNodeFactory.instance
                    .objectNode()
                    .put("url", settings.url().toString())
                    .put("rule", e.rule());
            return new ActionResult.Failed(
                    false,
                    ADDRESS_REFUSED,
                    settings.method() + " " + settings.url() + " not sent: " + e.rule(),
                    detail);
        } catch (InterruptedIOException e) {
            // Shutting down: keep the counters as they were and let whoever runs next ask again.
            Thread.currentThread().interrupt();
            return ActionResult.inProgress(settings.interval(), progress, "interrupted before an answer");
        }
        return seen.healthy() ? success(settings, progress, seen) : failure(settings, progress, seen);
    }

    private ActionResult success(HttpCheckSettings settings, ObjectNode progress, HttpObservation seen) {
        int successes = progress.path("successes").asInt(0) + 1;
        progress.put("successes", successes)
                .put("failures", 0)
                .put("lastStatus", seen.status())
                .put("lastLatencyMs", seen.latency().toMillis());
        progress.remove("lastFailure");
        if (successes >= settings.consecutiveSuccesses()) {
            ObjectNode output = JsonNodeFactory.instance
                    .objectNode()
                    .put("status", seen.status())
                    .put("successes", successes)
                    .put("latencyMs", seen.latency().toMillis());
            if (seen.value() != null) {
                output.set("value", seen.value());
            }
            return ActionResult.succeeded(output);
        }
        return ActionResult.inProgress(
                settings.interval(),
                progress,
                successes + " of " + settings.consecutiveSuccesses() + " consecutive successes");
    }

    private ActionResult failure(HttpCheckSettings settings, ObjectNode progress, HttpObservation seen) {
        int failures = progress.path("failures").asInt(0) + 1;
        progress.put("successes", 0).put("failures", failures).put("lastFailure", seen.mismatch());
        if (seen.status() == null) {
            progress.putNull("lastStatus");
        } else {
            progress.put("lastStatus", seen.status())
                    .put("lastLatencyMs", seen.latency().toMillis());
        }
        if (failures >= settings.failureThreshold()) {
            String message = settings.method() + " " + settings.url() + ": " + seen.mismatch() + " (" + failures
                    + " consecutive failures)";
            ObjectNode detail = JsonNodeFactory.instance
                    .objectNode()
                    .put("url", settings.url().toString())
                    .put("expected", settings.expectation())
                    .put("got", seen.mismatch())
                    .put("failures", failures);
            return new ActionResult.Failed(true, CHECK_FAILED, message, detail);
        }
        return ActionResult.inProgress(
                settings.interval(),
                progress,
                seen.mismatch() + " (" + failures + " of " + settings.failureThreshold() + " allowed failures)");
    }

    private HttpObservation observe(HttpCheckSettings settings) throws AddressRefusedException, InterruptedIOException {
        HttpUriRequestBase request = new HttpUriRequestBase(settings.method(), settings.url());
        request.setHeader("Accept", "application/json, */*;q=0.5");
        request.setHeader("User-Agent", "ferry-http-check");
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(settings.requestTimeout()))
                .build());
        long started = System.nanoTime();
        ScheduledFuture<?> deadline =
                deadlines.schedule(request::cancel, settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            return client.execute(GuardedHttpClients.target(settings.url()), request, response -> {
                BoundedBody body = response.getEntity() == null
                        ? BoundedBody.EMPTY
                        : BoundedBody.read(response.getEntity().getContent(), MAX_BODY_BYTES);
                return HttpObservation.of(
                        settings, response.getCode(), body, Duration.ofNanos(System.nanoTime() - started));
            });
        } catch (AddressRefusedException e) {
            throw e;
        } catch (IOException e) {
            if (request.isCancelled()) {
                return HttpObservation.unreachable(settings, "no complete answer within " + settings.requestTimeout());
            }
            if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
                throw (InterruptedIOException) e;
            }
            return HttpObservation.unreachable(settings, describe(e));
        } finally {
            deadline.cancel(false);
        }
    }

    private static String describe(IOException error) {
        if (error instanceof SocketTimeoutException) {
            return "no answer in time (" + error.getMessage() + ")";
        }
        String message = error.getMessage();
        return "connection error " + error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }

    @Override
    public String describe(JsonNode parameters) {
        HttpCheckSettings settings = HttpCheckSettings.from(parameters);
        return settings.method() + " " + settings.url() + " every " + settings.interval()
                + " until " + settings.expectation() + " " + settings.consecutiveSuccesses()
                + " time(s) in a row; fail after " + settings.failureThreshold() + " consecutive failures";
    }
}
