package dev.ferry.plan;

import java.util.Locale;
import java.util.Optional;

/** The seven phases every job walks, in this order. A plan decides what each one runs. */
public enum Phase {
    PREPARE,
    FREEZE,
    COPY,
    VERIFY,
    CUTOVER,
    OBSERVE,
    CLEANUP;

    /** The lower-case key a plan document uses for this phase ({@code cutover}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a phase from a plan key or an API path segment, in any case. */
    public static Optional<Phase> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Phase phase : values()) {
            if (phase.name().equalsIgnoreCase(text.trim())) {
                return Optional.of(phase);
            }
        }
        return Optional.empty();
    }
}
