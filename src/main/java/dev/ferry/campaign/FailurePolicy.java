package dev.ferry.campaign;

/**
 * When a wave has failed enough to stop starting jobs: {@code maxFailures} failed jobs, or
 * {@code maxFailurePercent} percent of the wave's targets, whichever comes first. A job counts as
 * failed when it paused on an error, was cancelled, rolls back or rolled back, or could not be
 * started at all.
 *
 * @param maxFailures null for no count limit
 * @param maxFailurePercent null for no percentage limit
 * @param rollbackWave on the threshold, roll back every job of the wave that is not finished
 */
public record FailurePolicy(Integer maxFailures, Integer maxFailurePercent, boolean rollbackWave) {

    /** Stop at the first failure, leave the jobs for an operator. */
    public static final FailurePolicy DEFAULT = new FailurePolicy(1, null, false);

    public boolean reached(int failed, int waveSize) {
        if (failed == 0) {
            return false;
        }
        boolean byCount = maxFailures != null && failed >= maxFailures;
        boolean byShare = maxFailurePercent != null && failed * 100L >= (long) maxFailurePercent * waveSize;
        return byCount || byShare;
    }

    /** The limit in words, for reasons on the timeline. */
    public String describe() {
        if (maxFailures != null && maxFailurePercent != null) {
            return maxFailures + " job(s) or " + maxFailurePercent + " %";
        }
        return maxFailures != null ? maxFailures + " job(s)" : maxFailurePercent + " %";
    }
}
