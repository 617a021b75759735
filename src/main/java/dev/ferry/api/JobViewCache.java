package dev.ferry.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Rendered job views (JSON bytes) by job and ETag, least recently used first out, within a byte
 * budget ({@code ferry.api.view-cache-bytes}). Dashboards poll the same jobs over and over; a view
 * is rebuilt (eight queries and a large JSON document) only when its ETag, which comes from the
 * database on every request, says the job changed. Serving bytes for an unchanged ETag is exactly
 * as current as the {@code 304} that ETag already earns.
 */
@Component
class JobViewCache {

    private final long budget;
    private long used;
    private final LinkedHashMap<UUID, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);

    @Autowired
    JobViewCache(ApiProperties properties) {
        this(properties.viewCacheBytes());
    }

    JobViewCache(long budget) {
        this.budget = budget;
    }

    private record Entry(String etag, byte[] body) {}

    /** The view for {@code etag}, rendered by {@code render} unless it is here already. */
    byte[] get(UUID job, String etag, Supplier<byte[]> render) {
        synchronized (this) {
            Entry entry = entries.get(job);
            if (entry != null && entry.etag().equals(etag)) {
                return entry.body();
            }
        }
        byte[] body = render.get();
        put(job, new Entry(etag, body));
        return body;
    }

    private synchronized void put(UUID job, Entry entry) {
        if (entry.body().length > budget / 16) {
            return; // a giant view would push out many small ones: render it every time
        }
        Entry old = entries.put(job, entry);
        used += entry.body().length - (old == null ? 0 : old.body().length);
        var eldest = entries.entrySet().iterator();
        while (used > budget && eldest.hasNext()) {
            Map.Entry<UUID, Entry> out = eldest.next();
            used -= out.getValue().body().length;
            eldest.remove();
        }
    }
}
