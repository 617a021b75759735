package dev.ferry.action.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * At most {@code limit} bytes of a response body. A health endpoint that streams without end must
 * not exhaust the worker's memory; the bytes are judged and dropped, never stored.
 *
 * @param truncated whether the body went on past the bytes kept
 */
record BoundedBody(byte[] bytes, boolean truncated) {

    static final BoundedBody EMPTY = new BoundedBody(new byte[0], false);

    static BoundedBody read(InputStream in, int limit) throws IOException {
        if (in == null) {
            return EMPTY;
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            int take = Math.min(n, limit - kept.size());
            kept.write(buffer, 0, take);
            if (take < n) {
                return new BoundedBody(kept.toByteArray(), true);
            }
        }
        return new BoundedBody(kept.toByteArray(), false);
    }
}
