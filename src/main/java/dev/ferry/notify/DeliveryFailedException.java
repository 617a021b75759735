package dev.ferry.notify;

/**
 * A delivery that did not arrive. The message is safe to store in the timeline: a status, an
 * exception class or an error code, never a URL or a secret.
 *
 * @see NotificationChannel
 */
public class DeliveryFailedException extends Exception {

    private final boolean retryable;

    public DeliveryFailedException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
