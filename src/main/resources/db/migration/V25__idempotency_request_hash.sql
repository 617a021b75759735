-- The request hash is now an HMAC keyed from Ferry's secret key ("hmac-sha256:<hex>"), so it no
-- longer fingerprints secret values in the body. Rows written before hold a bare SHA-256 hex and
-- are still compared as such; nothing to rewrite.
ALTER TABLE idempotency_key RENAME COLUMN request_sha256 TO request_hash;
