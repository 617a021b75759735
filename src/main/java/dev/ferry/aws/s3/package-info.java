/**
 * S3 actions: server-side copies of one object or a whole prefix with checksum verification,
 * prefix/object comparison for the VERIFY phase, and JSON backup documents written at
 * deterministic keys for the configuration exports of other services.
 */
package dev.ferry.aws.s3;
