package dev.ferry.notify;

import dev.ferry.database.Wakeup;
import org.springframework.stereotype.Component;

/** Wakes this replica's delivery loop: a notification was committed, or a sending slot came free. */
@Component
class DeliverySignal extends Wakeup {}
