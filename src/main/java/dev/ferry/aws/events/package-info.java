/** EventBridge actions: pausing and resuming scheduled rules (the ETL schedules) around a freeze. */
package dev.ferry.aws.events;
