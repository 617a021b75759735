package dev.ferry.notify;

/**
 * Sends a notification to one kind of target (port: webhooks and Slack here, SNS in the AWS package).
 *
 * <p>Contract: {@link #send} returns once the target accepted the notification, or throws
 * {@link DeliveryFailedException}; it gives up within the configured timeout and never retries by
 * itself (the outbox does, with backoff). It may be called again for the same delivery after a
 * crash, with the same CloudEvent id. It never logs secrets or webhook URLs.
 */
public interface NotificationChannel {

    TargetType type();

    void send(NotificationTarget target, Delivery delivery) throws DeliveryFailedException;
}
