package dev.ferry.notify;

import dev.ferry.common.FerryException;
import java.util.List;
import java.util.Map;

/** Notification targets that cannot be used; names every problem, never a secret. */
public class InvalidNotificationTargetException extends FerryException {

    private final List<String> errors;

    public InvalidNotificationTargetException(List<String> errors) {
        super("invalid-notification-target", 400, "Invalid notification target", String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("errors", errors);
    }
}
