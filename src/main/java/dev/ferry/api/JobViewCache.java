package dev.ferry.api;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Rendered job views (JSON bytes) by job and ETag, least recently used first out, within a byte
 * budget ({@code ferry.api.view-cache-bytes}). Dashboards poll the same jobs over and over; a view
 * is rebuilt (eight queries and a large JSON document) only when its ETag, which comes from the
 * database on every request, says the job changed. Serving bytes for an unchanged ETag is exactly
 * as current as the {@code 304} that ETag already earns.
 *
 * <p>Views are kept deflated: a view is mostly repeated field names, states and timestamps, so the
 * same budget holds several times as many jobs (the benchmark's 11,900 fit in the default 16 MiB),
 * and a fleet's dashboards stay in it. Inflating a hit costs microseconds; a miss costs the view's
 * queries.
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

    private record Entry(String etag, byte[] deflated, int length) {}

    /** The view for {@code etag}, rendered by {@code render} unless it is here already. */
    byte[] get(UUID job, String etag, Supplier<byte[]> render) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(job);
        }
        if (entry != null && entry.etag().equals(etag)) {
            return inflate(entry);
        }
        byte[] body = render.get();
        put(job, new Entry(etag, deflate(body), body.length));
        return body;
    }

    private synchronized void put(UUID job, Entry entry) {
        if (entry.deflated().length > budget / 16) {
            return; // a giant view would push out many small ones: render it every time
        }
        Entry old = entries.put(job, entry);
        used += entry.deflated().length - (old == null ? 0 : old.deflated().length);
        var eldest = entries.entrySet().iterator();
        while (used > budget && eldest.hasNext()) {
            Map.Entry<UUID, Entry> out = eldest.next();
            used -= out.getValue().deflated().length;
            eldest.remove();
        }
    }

    /** Bytes the cached views take now (deflated). */
    synchronized long used() {
        return used;
    }

    private static byte[] deflate(byte[] body) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(body);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(Entry entry) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(entry.deflated());
            byte[] body = new byte[entry.length()];
            // The whole input is there and the output is its exact size: one call inflates it all.
            int n = inflater.inflate(body);
            if (n != body.length || !inflater.finished()) {
                throw new IllegalStateException("a cached view inflated to " + n + " of " + body.length + " bytes");
            }
            return body;
        } catch (DataFormatException e) {
            throw new IllegalStateException("a cached view does not inflate", e);
        } finally {
            inflater.end();
        }
    }
}
