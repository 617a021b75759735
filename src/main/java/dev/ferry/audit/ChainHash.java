package dev.ferry.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/**
 * The hash of one job event, recomputed in Java from the stored values, independently of the
 * database function that wrote it ({@code job_event_hash} in {@code V5__audit_hash_chain.sql}; both
 * must implement exactly this encoding). SHA-256 over: {@code 0x01} (encoding version), the
 * previous event's hash (32 bytes), the job id (16 bytes), {@code seq} (8 bytes, big endian),
 * {@code at} in microseconds since the epoch (8 bytes), then actor, type, phase, step, from, to,
 * reason and detail (jsonb's own text form) each as {@code 0x00} for NULL or {@code 0x01}, UTF-8
 * length (4 bytes) and UTF-8 bytes, so that NULL, empty and shifted boundaries never collide.
 */
public final class ChainHash {

    /** The previous hash of every job's first event. */
    public static final byte[] GENESIS = new byte[32];

    private static final byte VERSION = 1;

    private ChainHash() {}

    public static byte[] of(byte[] previous, EventContent content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(VERSION);
        out.writeBytes(previous);
        out.writeBytes(ByteBuffer.allocate(32)
                .putLong(content.jobId().getMostSignificantBits())
                .putLong(content.jobId().getLeastSignificantBits())
                .putLong(content.seq())
                .putLong(micros(content.at()))
                .array());
        for (String field : new String[] {
            content.actor(),
            content.type(),
            content.phase(),
            content.stepId(),
            content.from(),
            content.to(),
            content.reason(),
            content.detail()
        }) {
            field(out, field);
        }
        return sha256(out.toByteArray());
    }

    /** The instant as PostgreSQL stores a timestamptz: whole microseconds. */
    static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.write(0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(1);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** What an event's hash covers besides the previous hash; {@code detail} is jsonb's text form. */
    public record EventContent(
            UUID jobId,
            long seq,
            Instant at,
            String actor,
            String type,
            String phase,
            String stepId,
            String from,
            String to,
            String reason,
            String detail) {}
}
