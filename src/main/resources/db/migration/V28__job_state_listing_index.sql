-- Wall boards poll GET /jobs?view=summary&state=...: the page (newest first, by created_at and id)
-- and its ETag read the first rows of this index instead of sorting every job in that state.
-- Same leading columns as the index it replaces; created_at and id never change, so job updates
-- stay as HOT as before.
CREATE INDEX migration_job_state_listing ON migration_job (state, created_at DESC, id DESC);
DROP INDEX migration_job_state;
