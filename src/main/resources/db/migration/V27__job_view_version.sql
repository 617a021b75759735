-- What GET /jobs/{id} shows changes only through writes that end up on the job row, so its ETag is
-- one primary-key read: view_version goes up with every update of the row (a trigger, so no writer
-- can forget it), and the few writes that change the view without touching the row (a claim, a
-- preflight report, another job's rehearsal) touch it here. Approvals also stop counting by time
-- alone: the row keeps their expiry instants, and the ETag counts how many have passed.
ALTER TABLE migration_job ADD COLUMN view_version bigint NOT NULL DEFAULT 0;
ALTER TABLE migration_job ADD COLUMN approval_expiries timestamptz[] NOT NULL DEFAULT '{}';

UPDATE migration_job j
   SET approval_expiries = ARRAY(SELECT a.expires_at FROM approval a
                                  WHERE a.job_id = j.id AND a.expires_at IS NOT NULL ORDER BY a.expires_at);

CREATE FUNCTION migration_job_view_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.view_version := OLD.view_version + 1;
    RETURN NEW;
END $$;

CREATE TRIGGER migration_job_view_version BEFORE UPDATE ON migration_job
    FOR EACH ROW EXECUTE FUNCTION migration_job_view_changed();

-- A claim clears the step's next_run_at (shown in the view) in a transaction that does not hold the
-- job's lock; only claims change lease_token. A step leased without being queued (a worker chaining
-- the job's next step, an approval starting its phase: both inside a change that updates the job
-- row anyway) and a takeover of an expired lease change nothing the view shows.
CREATE FUNCTION step_execution_claimed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE migration_job SET view_version = view_version WHERE id = NEW.job_id;
    RETURN NULL;
END $$;

CREATE TRIGGER step_execution_view_version AFTER UPDATE OF lease_token ON step_execution
    FOR EACH ROW WHEN (OLD.lease_token IS DISTINCT FROM NEW.lease_token AND OLD.next_run_at IS NOT NULL)
    EXECUTE FUNCTION step_execution_claimed();

CREATE FUNCTION approval_expiries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    job uuid := coalesce(NEW.job_id, OLD.job_id);
BEGIN
    UPDATE migration_job
       SET approval_expiries = ARRAY(SELECT a.expires_at FROM approval a
                                      WHERE a.job_id = job AND a.expires_at IS NOT NULL ORDER BY a.expires_at)
     WHERE id = job;
    RETURN NULL;
END $$;

CREATE TRIGGER approval_view_version AFTER INSERT OR UPDATE OR DELETE ON approval
    FOR EACH ROW EXECUTE FUNCTION approval_expiries_changed();

CREATE FUNCTION preflight_run_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE migration_job SET view_version = view_version WHERE id = NEW.job_id;
    RETURN NULL;
END $$;

CREATE TRIGGER preflight_run_view_version AFTER INSERT ON preflight_run
    FOR EACH ROW EXECUTE FUNCTION preflight_run_recorded();

-- A successful rehearsal changes the expected phase durations every job of its plan shows.
CREATE FUNCTION rehearsal_succeeded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE migration_job SET view_version = view_version
     WHERE id <> NEW.id
       AND plan_id IN (SELECT p.id FROM plan p WHERE p.name = (SELECT q.name FROM plan q WHERE q.id = NEW.plan_id));
    RETURN NULL;
END $$;

CREATE TRIGGER rehearsal_view_version AFTER UPDATE OF state ON migration_job
    FOR EACH ROW WHEN (NEW.rehearsal AND NEW.state = 'SUCCEEDED' AND OLD.state IS DISTINCT FROM 'SUCCEEDED')
    EXECUTE FUNCTION rehearsal_succeeded();
