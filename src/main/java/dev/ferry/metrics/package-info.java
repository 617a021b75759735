/**
 * Ferry's own meters ({@code ferry.*}, Prometheus at {@code /actuator/prometheus}): what the engine
 * did, recorded only once the transaction that did it has committed, and what is stored now.
 */
package dev.ferry.metrics;
