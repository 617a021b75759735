package dev.ferry.notify;

import dev.ferry.common.net.AddressPolicy;
import dev.ferry.common.net.AddressRefusedException;
import dev.ferry.common.net.GuardedHttpClients;
import dev.ferry.common.net.HostResolver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * POSTs a body with a timeout and turns every failure into a {@link DeliveryFailedException}
 * whose message carries no URL (a Slack URL, or a token in a path, is a credential). Redirects
 * are not followed: a receiver must answer where it was configured. A job's own target is sent
 * only to an address {@link NotificationProperties#jobTargetPolicy()} allows, checked on the
 * address connected to; targets an operator configures globally may reach anything but the
 * always-refused addresses (cloud metadata, link-local).
 */
@Component
class HttpPoster implements DisposableBean {

    private final CloseableHttpClient jobTargets;
    private final CloseableHttpClient globalTargets;
    private final Duration timeout;

    HttpPoster(NotificationProperties properties) {
        this.timeout = properties.delivery().timeout();
        this.jobTargets = GuardedHttpClients.create(properties.jobTargetPolicy(), HostResolver.SYSTEM, timeout);
        this.globalTargets = GuardedHttpClients.create(
                new AddressPolicy(true, true, List.of(), "", ""), HostResolver.SYSTEM, timeout);
    }

    void post(NotificationTarget target, String contentType, byte[] body, Map<String, String> headers)
            throws DeliveryFailedException {
        URI url = target.url();
        boolean own = target.key().startsWith(NotificationTargets.JOB_KEY_PREFIX);
        HttpPost request = new HttpPost(url);
        request.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
        request.setHeader("User-Agent", "Ferry-Notifications/1");
        headers.forEach(request::setHeader);
        int status;
        try {
            status = (own ? jobTargets : globalTargets).execute(GuardedHttpClients.target(url), request, response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode();
            });
        } catch (AddressRefusedException e) {
            throw new DeliveryFailedException("not sent: " + e.rule(), false);
        } catch (SocketTimeoutException e) {
            throw new DeliveryFailedException("no answer within " + timeout, true);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException("interrupted (shutting down)", true);
        } catch (IOException e) {
            throw new DeliveryFailedException("request failed: " + e.getClass().getSimpleName(), true);
        }
        if (status / 100 != 2) {
            // Every status is retried: a receiver that answers 4xx is usually being redeployed or
            // reconfigured, and the attempts and age limits end a hopeless case.
            throw new DeliveryFailedException("HTTP " + status, true);
        }
    }

    @Override
    public void destroy() throws IOException {
        jobTargets.close();
        globalTargets.close();
    }
}
