/**
 * EFS actions from the encryption runbook: create the KMS-encrypted file system with its mount
 * targets, assert {@code Encrypted == true}, and (after the retention delay) delete the old file
 * system, mount targets first. The file system's CreationToken is the step's idempotency token, so
 * EFS itself refuses a second file system for one step.
 */
package dev.ferry.aws.efs;
