package dev.ferry.aws.s3;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.Map;

/** The tally of a comparison: every difference counted, the first few kept for the operator. */
final class ObjectDifferences {

    enum Kind {
        MISSING,
        EXTRA,
        CHANGED
    }

    private final int keep;
    private final ArrayNode first = JsonNodeFactory.instance.arrayNode();
    private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    private final Map<ObjectFingerprint.Basis, Long> verifiedBy = new EnumMap<>(ObjectFingerprint.Basis.class);
    private long compared;
    private long bytes;

    ObjectDifferences(int keep) {
        this.keep = keep;
    }

    void matched(ObjectFingerprint.Comparison comparison, long size) {
        compared++;
        bytes += size;
        verifiedBy.merge(comparison.basis(), 1L, Long::sum);
    }

    void differ(Kind kind, String key, String detail) {
        counts.merge(kind, 1L, Long::sum);
        if (first.size() < keep) {
            first.addObject()
                    .put("kind", kind.name().toLowerCase())
                    .put("key", key)
                    .put("detail", detail);
        }
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    ObjectNode summary() {
        ObjectNode summary = JsonNodeFactory.instance
                .objectNode()
                .put("objectsMatched", compared)
                .put("bytes", bytes);
        ObjectNode by = summary.putObject("verifiedBy");
        verifiedBy.forEach((basis, n) -> by.put(basis.name(), n));
        for (Kind kind : Kind.values()) {
            summary.put(kind.name().toLowerCase(), counts.getOrDefault(kind, 0L));
        }
        summary.set("differences", first.deepCopy());
        return summary;
    }

    String message() {
        return total() + " differences (missing " + counts.getOrDefault(Kind.MISSING, 0L) + ", extra "
                + counts.getOrDefault(Kind.EXTRA, 0L) + ", changed " + counts.getOrDefault(Kind.CHANGED, 0L)
                + "); first: " + first;
    }
}
