package dev.ferry.action;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** Every {@link ActionHandler} bean, by name. Two handlers with one name fail start-up. */
@Component
public class ActionRegistry {

    private final Map<String, ActionHandler> handlers;

    public ActionRegistry(List<ActionHandler> handlers) {
        Map<String, ActionHandler> byName = new TreeMap<>();
        for (ActionHandler handler : handlers) {
            ActionHandler previous = byName.put(handler.name(), handler);
            if (previous != null) {
                throw new IllegalStateException("two action handlers named " + handler.name() + ": "
                        + previous.getClass().getName() + " and "
                        + handler.getClass().getName());
            }
        }
        this.handlers = Collections.unmodifiableMap(byName);
    }

    public Optional<ActionHandler> find(String name) {
        return Optional.ofNullable(handlers.get(name));
    }

    public Collection<ActionHandler> all() {
        return handlers.values();
    }
}
