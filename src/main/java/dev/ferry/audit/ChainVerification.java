package dev.ferry.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Whether a job's audit chain is intact. When it is not, {@code firstInvalidSeq} is the first event
 * that can no longer be trusted (changed, missing, or not the one its successor or the job's head
 * recorded) and {@code problem} says why, for people.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainVerification(boolean valid, long checkedEvents, Long firstInvalidSeq, String problem) {}
