/**
 * KMS actions: the encryption runbook's customer-managed key, created once per step (found again
 * by its alias, or by the step's token tag when a crash came between creating the key and naming
 * it) and scheduled for deletion when the migration rolls back.
 */
package dev.ferry.aws.kms;
