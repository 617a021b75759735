-- An approval is given for a plan version and for the job's parameters as the approver saw them
-- (secret values redacted): the SHA-256 of their canonical JSON. An approval whose parameters no
-- longer match the job's does not count. Approvals given before this column existed stay NULL and
-- count as before.
ALTER TABLE approval ADD COLUMN parameters_sha256 text;
