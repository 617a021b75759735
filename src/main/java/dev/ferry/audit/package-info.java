/**
 * The append-only audit timeline of every job: events hash-chained per job by the database as
 * they are appended (never updated or deleted), exported and verified in Java.
 */
package dev.ferry.audit;
