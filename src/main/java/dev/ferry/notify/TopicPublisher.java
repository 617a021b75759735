package dev.ferry.notify;

import java.util.Map;

/**
 * Publishes to a message topic (port; Amazon SNS in the AWS package).
 *
 * <p>Contract: returns the message id once the topic accepted the message, or throws
 * {@link DeliveryFailedException} (retryable for throttling, 5xx and network errors); never
 * retries beyond the SDK's own short retries.
 */
public interface TopicPublisher {

    String publish(String topicArn, String subject, String message, Map<String, String> attributes)
            throws DeliveryFailedException;
}
