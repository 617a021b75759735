-- Rollback runs each completed step's compensation; its result is kept beside the step's own.
ALTER TABLE step_execution ADD COLUMN compensation_output jsonb;
ALTER TABLE step_execution ADD COLUMN compensated_at timestamptz;

-- AWS resources a job holds from the start of its work until it ends: two jobs never change the
-- same ECS service, file system or DNS record at once. The primary key is the lock.
CREATE TABLE resource_lock (
    resource     text PRIMARY KEY,
    job_id       uuid        NOT NULL REFERENCES migration_job (id),
    acquired_at  timestamptz NOT NULL
);
CREATE INDEX resource_lock_job ON resource_lock (job_id);

-- A WAITING job continues at wake_at (a timer, or a retry for a busy resource); waiting_for says
-- what it waits for, for people. resources_locked_at: when it took its resource locks.
ALTER TABLE migration_job ADD COLUMN wake_at timestamptz;
ALTER TABLE migration_job ADD COLUMN waiting_for jsonb;
ALTER TABLE migration_job ADD COLUMN resources_locked_at timestamptz;
CREATE INDEX migration_job_wake ON migration_job (wake_at) WHERE state = 'WAITING';
