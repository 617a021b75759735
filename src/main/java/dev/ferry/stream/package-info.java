/**
 * Live job timelines for dashboards: Server-Sent Events of one job's events or of every job's,
 * resumable from the last event a client saw, fed by one poller per replica that reads the
 * committed timeline in commit-safe order and only while someone is listening.
 */
package dev.ferry.stream;
