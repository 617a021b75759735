-- What an approver was shown: the preview of the phase they decided on (its steps, resolved
-- parameters with secrets redacted, planned AWS calls and compensations) as it was at that moment,
-- and the SHA-256 of its canonical JSON. Decisions recorded before this column existed stay NULL.
ALTER TABLE approval ADD COLUMN preview jsonb;
ALTER TABLE approval ADD COLUMN preview_sha256 text;
