package dev.ferry.plan;

import java.time.Duration;

/** A phase starts no earlier than {@code delay} after phase {@code after} ended (CLEANUP 7 days after OBSERVE). */
public record NotBefore(Phase after, Duration delay) {}
