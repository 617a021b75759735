/** Alert intake: Alertmanager and generic webhooks, matching to jobs, deduplication, rollback. */
package dev.ferry.alert;
