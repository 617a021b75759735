/**
 * Secrets Manager actions: the CUTOVER switch of an application's configuration (the database
 * endpoint) held in a secret. Values are never written to outputs, progress, messages or errors;
 * only version ids and key names are.
 */
package dev.ferry.aws.secretsmanager;
