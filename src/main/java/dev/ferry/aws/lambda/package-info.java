/**
 * Lambda actions: the ECS-migration runbook's "backup of the Lambda function", as a JSON document
 * in S3 that rollback level 2 can restore configuration from.
 */
package dev.ferry.aws.lambda;
