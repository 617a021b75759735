package dev.ferry.bench;

import java.util.Arrays;

/** Percentiles of a set of durations in milliseconds (nearest-rank, as most tools report them). */
record Latencies(int count, double p50, double p95, double p99, double max) {

    static Latencies of(double[] millis) {
        if (millis.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Latencies(
                sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
