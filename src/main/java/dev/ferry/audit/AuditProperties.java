package dev.ferry.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit ({@code ferry.audit.*}).
 *
 * @param signingKey the Ed25519 private key that signs {@code GET /api/v1/audit/heads}: PEM text
 *     (PKCS#8, {@code openssl genpkey -algorithm ed25519}) or the path of a file holding it. Unset
 *     on the embedded database: a key kept in {@code audit-signing.key} beside its data directory.
 *     Unset on an external database: heads are not served (503 audit-signing-key-missing).
 */
@ConfigurationProperties("ferry.audit")
public record AuditProperties(String signingKey) {}
