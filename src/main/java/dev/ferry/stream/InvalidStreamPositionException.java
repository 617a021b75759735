package dev.ferry.stream;

import dev.ferry.common.FerryException;

/** A {@code Last-Event-ID} this service did not send. */
public class InvalidStreamPositionException extends FerryException {

    public InvalidStreamPositionException(String detail) {
        super("invalid-stream-position", 400, "Invalid stream position", detail);
    }

    /**
     * Where a timeline's stream resumes: after the {@code seq} a {@code Last-Event-ID} names, else
     * after {@code after}.
     *
     * @param of what the sequence numbers belong to, for the message ("this job")
     */
    public static long resumeAfter(String lastEventId, long after, String of) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return after;
        }
        long seq;
        try {
            seq = Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            throw new InvalidStreamPositionException(
                    "Last-Event-ID '" + lastEventId + "' is not an event sequence number of " + of);
        }
        if (seq < 0) {
            throw new InvalidStreamPositionException("Last-Event-ID must not be negative");
        }
        return seq;
    }
}
