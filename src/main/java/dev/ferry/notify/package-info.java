/**
 * Outbound notifications: job events people must act on (approval requested, job paused, rollback,
 * job finished, gate breached) written to a transactional outbox with the event, then delivered to
 * webhooks (CloudEvents, HMAC-signed), Slack and SNS by a worker of their own, with retries.
 */
package dev.ferry.notify;
