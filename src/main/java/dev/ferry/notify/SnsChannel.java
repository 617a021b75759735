package dev.ferry.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.springframework.stereotype.Component;

/** SNS topics: the CloudEvent JSON as the message, a short subject, and type and job id as attributes to filter on. */
@Component
class SnsChannel implements NotificationChannel {

    private static final int MAX_SUBJECT = 100;

    private final TopicPublisher publisher;
    private final ObjectMapper json;

    SnsChannel(TopicPublisher publisher, ObjectMapper json) {
        this.publisher = publisher;
        this.json = json;
    }

    @Override
    public TargetType type() {
        return TargetType.SNS;
    }

    @Override
    public void send(NotificationTarget target, Delivery delivery) throws DeliveryFailedException {
        String message;
        try {
            message = json.writeValueAsString(delivery.cloudEvent());
        } catch (JsonProcessingException e) {
            throw new DeliveryFailedException("cannot write the event: " + e.getOriginalMessage(), false);
        }
        String subject = ("Ferry " + delivery.kind().code() + ": "
                        + delivery.cloudEvent().path("data").path("jobName").asText())
                .replaceAll("[^\\x20-\\x7E]", " ");
        publisher.publish(
                target.topicArn(),
                subject.length() > MAX_SUBJECT ? subject.substring(0, MAX_SUBJECT) : subject,
                message,
                Map.of(
                        "type",
                        delivery.kind().eventType(),
                        "jobId",
                        delivery.jobId().toString(),
                        "id",
                        delivery.id().toString()));
    }
}
