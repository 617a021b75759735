package dev.ferry.audit;

import java.util.Arrays;

/**
 * Walks one job's events in {@code seq} order and checks each link: gapless {@code seq} from 1,
 * {@code prev_hash} equal to the previous event's hash, the stored hash equal to the recomputed one,
 * and at the end the job's recorded head (seq and hash) equal to the last event. Keeps only the
 * previous hash, so a chain of any length is checked in constant memory.
 */
final class ChainVerifier {

    private long expectedSeq = 1;
    private byte[] previous = ChainHash.GENESIS;
    private long checked;
    private Long firstInvalidSeq;
    private String problem;

    /** One stored event: its seq, stored prev_hash and hash, and the hash recomputed from its content. */
    void accept(long seq, byte[] prevHash, byte[] hash, byte[] recomputed) {
        checked++;
        if (firstInvalidSeq != null) {
            return;
        }
        if (seq != expectedSeq) {
            fail(
                    expectedSeq,
                    seq > expectedSeq
                            ? "event " + expectedSeq + " is missing: the next stored event is " + seq
                            : "event " + seq + " is out of order");
            return;
        }
        boolean intact = Arrays.equals(recomputed, hash);
        boolean linked = Arrays.equals(prevHash, previous);
        if (!intact) {
            fail(seq, "event " + seq + " does not match its hash: its content or prev_hash was changed");
        } else if (!linked) {
            // This event is intact, so the prev_hash it recorded is the original: its predecessor changed since.
            fail(
                    seq == 1 ? 1 : seq - 1,
                    seq == 1
                            ? "event 1 does not start from the genesis hash"
                            : "event " + (seq - 1) + " is not the event that event " + seq
                                    + " followed: it was changed and re-hashed");
        }
        previous = hash;
        expectedSeq++;
    }

    /** Compares the end of the chain with the head the job row recorded, and gives the result. */
    ChainVerification finish(long headSeq, byte[] headHash) {
        long last = expectedSeq - 1;
        if (firstInvalidSeq == null) {
            if (last == 0) {
                fail(1, "the job has no events, but every job records at least its creation");
            } else if (headSeq > last) {
                fail(last + 1, "events after " + last + " are missing: the job's audit head is at " + headSeq);
            } else if (headSeq < last) {
                fail(headSeq + 1, "events after " + headSeq + ", the job's audit head, were added outside the chain");
            } else if (!Arrays.equals(headHash, previous)) {
                fail(
                        last,
                        "event " + last + " is not the one the job recorded as its head: it was changed and re-hashed");
            }
        }
        return new ChainVerification(firstInvalidSeq == null, checked, firstInvalidSeq, problem);
    }

    private void fail(long seq, String why) {
        firstInvalidSeq = seq;
        problem = why;
    }
}
