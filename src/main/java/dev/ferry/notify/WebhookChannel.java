package dev.ferry.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Generic webhooks: the CloudEvent in structured JSON mode, signed with the target's secret. */
@Component
class WebhookChannel implements NotificationChannel {

    private final HttpPoster http;
    private final ObjectMapper json;
    private final Clock clock;

    WebhookChannel(HttpPoster http, ObjectMapper json, Clock clock) {
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public TargetType type() {
        return TargetType.WEBHOOK;
    }

    @Override
    public void send(NotificationTarget target, Delivery delivery) throws DeliveryFailedException {
        byte[] body;
        try {
            body = json.writeValueAsBytes(delivery.cloudEvent());
        } catch (JsonProcessingException e) {
            throw new DeliveryFailedException("cannot write the event: " + e.getOriginalMessage(), false);
        }
        long timestamp = clock.instant().getEpochSecond();
        http.post(
                target,
                CloudEvents.CONTENT_TYPE,
                body,
                Map.of(
                        WebhookSignature.TIMESTAMP_HEADER,
                        Long.toString(timestamp),
                        WebhookSignature.SIGNATURE_HEADER,
                        WebhookSignature.sign(target.secret(), timestamp, body),
                        "X-Ferry-Delivery",
                        delivery.id().toString(),
                        "X-Ferry-Attempt",
                        Integer.toString(delivery.attempt())));
    }
}
