-- A finished job's history is closed: once a job is SUCCEEDED, ROLLED_BACK, FAILED or CANCELLED, no
-- event joins its chain, so the head an auditor recorded at the end (GET /api/v1/audit/heads) stays
-- the head for good. Ferry refuses such commands itself (409 job-history-closed) and keeps what
-- happens after the end elsewhere (notification deliveries: notification_outbox only); this is the
-- database's own guarantee, for any writer that does not hold the owner's right to disable triggers.
--
-- "Terminal" is not enough to decide: the events that end a job (JOB_SUCCEEDED, then
-- RESOURCES_RELEASED) are written in the very transaction that makes it terminal, and Ferry inserts
-- them with JDBC while Hibernate may flush the job row before or after them. So the job row keeps
-- the transaction that closed it (closed_in), set here by a trigger and by nobody else; an event is
-- accepted for a terminal job only inside that transaction. Two more rules keep this unforgeable by
-- someone who may UPDATE migration_job: a terminal state is final (no event of the lifecycle leaves
-- one, dev.ferry.lifecycle.JobState#isTerminal), and closed_in cannot be written directly.

CREATE FUNCTION job_state_terminal(state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT state IN ('SUCCEEDED', 'ROLLED_BACK', 'FAILED', 'CANCELLED')
$$;

-- NULL for jobs that ended before this migration: closed by a transaction long gone.
ALTER TABLE migration_job ADD COLUMN closed_in xid8;

CREATE FUNCTION job_closed_in() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND job_state_terminal(OLD.state) THEN
        IF NEW.state IS DISTINCT FROM OLD.state THEN
            RAISE EXCEPTION 'job % has ended (%): its state is final', OLD.id, OLD.state
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        NEW.closed_in := OLD.closed_in;
    ELSIF job_state_terminal(NEW.state) THEN
        -- The top-level transaction, also from inside a savepoint.
        NEW.closed_in := pg_current_xact_id();
    ELSE
        NEW.closed_in := NULL;
    END IF;
    RETURN NEW;
END
$$;

-- Only when the state or closed_in would change: the engine's many other updates of the job row pay nothing.
CREATE TRIGGER job_closed_in_insert BEFORE INSERT ON migration_job
    FOR EACH ROW
    WHEN (job_state_terminal(NEW.state) OR NEW.closed_in IS NOT NULL)
    EXECUTE FUNCTION job_closed_in();

CREATE TRIGGER job_closed_in_update BEFORE UPDATE ON migration_job
    FOR EACH ROW
    WHEN (NEW.state IS DISTINCT FROM OLD.state OR NEW.closed_in IS DISTINCT FROM OLD.closed_in)
    EXECUTE FUNCTION job_closed_in();

-- Once per INSERT statement: no new event belongs to a job closed by another transaction.
CREATE FUNCTION job_event_open() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    closed record;
BEGIN
    SELECT j.id, j.state INTO closed
      FROM migration_job j
     WHERE j.id IN (SELECT job_id FROM appended)
       AND job_state_terminal(j.state)
       AND j.closed_in IS DISTINCT FROM pg_current_xact_id()
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'job % has ended (%): its audit chain is closed', closed.id, closed.state
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Nothing is appended to a finished job''s history; its head is final.';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER job_event_open AFTER INSERT ON job_event
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION job_event_open();
