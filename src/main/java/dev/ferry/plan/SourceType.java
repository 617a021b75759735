package dev.ferry.plan;

import java.util.Locale;

/** The notation a plan was written in. Both describe the same tree and hash the same. */
public enum SourceType {
    YAML,
    JSON;

    /** The lower-case name stored in {@code plan.source_type}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SourceType fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
