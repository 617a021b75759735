/**
 * RDS actions: the seeds' "snapshot before anything else", "restore the snapshot" (rollback level 3)
 * and "delete the old database, final snapshot first". Snapshot and final-snapshot names are
 * derived from the step's idempotency token, so a retry finds what an earlier call started.
 */
package dev.ferry.aws.rds;
