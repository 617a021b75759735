/**
 * CloudWatch checks for the OBSERVE phase: alarms that must not be in ALARM, and metric
 * thresholds (5xx counts, p99 latency) over a recent window. Both are read-only.
 */
package dev.ferry.aws.cloudwatch;
