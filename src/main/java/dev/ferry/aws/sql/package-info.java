/**
 * SQL checks for the VERIFY phase: read-only queries against the migration's databases, with
 * credentials read from AWS Secrets Manager (so plans never carry passwords). Only PostgreSQL.
 */
package dev.ferry.aws.sql;
