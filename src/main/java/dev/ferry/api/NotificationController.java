package dev.ferry.api;

import dev.ferry.notify.NotificationQueries;
import dev.ferry.notify.NotificationStatus;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A job's notification targets (without secrets) and the state of each delivery. */
@RestController
class NotificationController {

    private final NotificationQueries notifications;

    NotificationController(NotificationQueries notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/api/v1/jobs/{id}/notifications")
    NotificationStatus notifications(@PathVariable UUID id) {
        return notifications.of(id);
    }
}
