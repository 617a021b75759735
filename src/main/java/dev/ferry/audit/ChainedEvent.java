package dev.ferry.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One event of an exported chain, with the hashes that link it: {@code prevHash} and {@code hash} in hex. */
public record ChainedEvent(
        long seq,
        Instant at,
        String actor,
        String type,
        String phase,
        String step,
        String from,
        String to,
        String reason,
        JsonNode detail,
        String prevHash,
        String hash) {}
