package dev.ferry.job;

import dev.ferry.common.FerryException;
import java.util.Map;
import java.util.UUID;

/** Another job holds an AWS resource this one would change. */
public class ResourceLockedException extends FerryException {

    private final String resource;
    private final UUID holder;

    public ResourceLockedException(String resource, UUID holder) {
        super(
                "resource-locked",
                409,
                "Resource locked",
                "Resource " + resource + " is held by job " + holder + " until it ends");
        this.resource = resource;
        this.holder = holder;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("resource", resource, "heldBy", holder.toString());
    }
}
