package dev.ferry.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code GET /audit/verify} ({@code ferry.audit.verify.*}).
 *
 * @param maxAge how long a chain found intact counts as verified while its head (seq and hash on
 *     the job row) stays the same; a chain whose head moved is read again at once, and one not
 *     read within this age is read again on the next call. {@code PT0S} reads every chain on
 *     every call
 * @param cachedChains how many verified heads a replica remembers (the least recently verified
 *     go first)
 * @param calls verifications one caller (subject) may ask for per {@link #period}, as a token
 *     bucket that holds that many; more are refused with 429 and {@code Retry-After}
 * @param period the time in which {@link #calls} tokens come back
 * @param freshCost the tokens a {@code ?fresh=true} verification (every chain read, whatever was
 *     verified before) costs
 */
@ConfigurationProperties("ferry.audit.verify")
public record VerifyProperties(
        @DefaultValue("PT5M") Duration maxAge,
        @DefaultValue("100000") int cachedChains,
        @DefaultValue("30") int calls,
        @DefaultValue("PT1M") Duration period,
        @DefaultValue("10") int freshCost) {

    public VerifyProperties {
        if (maxAge.isNegative()
                || cachedChains < 0
                || calls < 1
                || (period.isNegative() || period.isZero())
                || freshCost < 1) {
            throw new IllegalArgumentException("ferry.audit.verify: max-age >= 0, cached-chains >= 0, calls >= 1,"
                    + " period > 0 and fresh-cost >= 1");
        }
        if (freshCost > calls) {
            throw new IllegalArgumentException(
                    "ferry.audit.verify.fresh-cost (" + freshCost + ") must not exceed calls (" + calls + ")");
        }
    }
}
