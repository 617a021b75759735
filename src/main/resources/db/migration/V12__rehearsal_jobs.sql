-- A rehearsal is a job of the same plan run against staging; its measured phase durations become
-- the expected durations of later jobs of that plan. Existing jobs are production jobs.
ALTER TABLE migration_job ADD COLUMN rehearsal boolean NOT NULL DEFAULT false;

-- "The latest succeeded rehearsal of plan X" is read on every job view: keep it an index scan.
CREATE INDEX migration_job_rehearsal_idx ON migration_job (plan_id, finished_at DESC)
    WHERE rehearsal AND state = 'SUCCEEDED';
