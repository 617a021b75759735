package dev.ferry.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The heads of chains found intact, and when: {@code (job, head seq, head hash) → verified at}.
 * A chain whose head is the one remembered, verified less than {@code maxAge} ago, is not read
 * again; any other is. Bounded: the least recently verified are forgotten first.
 */
final class VerifiedHeads {

    /** When the chain ending at this head was last read and found intact. */
    record Verified(long headSeq, byte[] headHash, Instant at) {}

    private final Duration maxAge;
    private final Map<UUID, Verified> heads;

    VerifiedHeads(Duration maxAge, int capacity) {
        this.maxAge = maxAge;
        this.heads = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Verified> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The earlier verification of exactly this head, if it is recent enough to stand. */
    synchronized Verified reusable(UUID job, long headSeq, byte[] headHash, Instant now) {
        Verified verified = heads.get(job);
        if (verified == null
                || verified.headSeq() != headSeq
                || !Arrays.equals(verified.headHash(), headHash)
                || !now.isBefore(verified.at().plus(maxAge))) {
            return null;
        }
        return verified;
    }

    /** The chain ending at this head was just read: intact (remembered) or not (forgotten). */
    synchronized void record(UUID job, long headSeq, byte[] headHash, boolean intact, Instant at) {
        // Re-inserted, so the map's order stays the order of verification.
        heads.remove(job);
        if (intact && !maxAge.isZero()) {
            heads.put(job, new Verified(headSeq, headHash, at));
        }
    }
}
