package dev.ferry.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * POSTs a body with a timeout and turns every failure into a {@link DeliveryFailedException}
 * whose message carries no URL (a Slack URL, or a token in a path, is a credential). Redirects
 * are not followed: a receiver must answer where it was configured.
 */
@Component
class HttpPoster {

    private final HttpClient client;
    private final Duration timeout;
    private final NetworkGuard guard;

    HttpPoster(NotificationProperties properties, NetworkGuard guard) {
        this.guard = guard;
        this.timeout = properties.delivery().timeout();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void post(NotificationTarget target, String contentType, byte[] body, Map<String, String> headers)
            throws DeliveryFailedException {
        URI url = target.url();
        // A job's own target is checked again at every send: its host may resolve elsewhere by now.
        String refused = target.key().startsWith(NotificationTargets.JOB_KEY_PREFIX) ? guard.refusal(url) : null;
        if (refused != null) {
            throw new DeliveryFailedException("not sent: " + refused, false);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", contentType).header("User-Agent", "Ferry-Notifications/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailedException("no answer within " + timeout, true);
        } catch (IOException e) {
            throw new DeliveryFailedException("request failed: " + e.getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException("interrupted (shutting down)", true);
        }
        if (response.statusCode() / 100 != 2) {
            // Every status is retried: a receiver that answers 4xx is usually being redeployed or
            // reconfigured, and the attempts and age limits end a hopeless case.
            throw new DeliveryFailedException("HTTP " + response.statusCode(), true);
        }
    }
}
