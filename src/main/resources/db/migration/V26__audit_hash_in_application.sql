-- The audit chain, cheaper and just as tamper-evident. Ferry now computes each event's hash in the
-- application (dev.ferry.audit.ChainHash, with jsonb's text form rebuilt by JsonbText) under the
-- job row lock it already holds, and moves the chain's head in the job row it updates anyway. Per
-- event that saves the trigger's lock and update of the job row, and the two foreign-key checks
-- that update and the insert caused (the job row, re-updated in its own transaction, re-checked
-- its plan each time). A property test (AuditHashAgreementIT) proves the two computations agree.
--
-- What the database still guarantees:
--  * an event written without a hash is hashed and linked here, as before (V5's function);
--  * an event written with one must follow its predecessor: seq 1 links to the genesis hash, any
--    other seq to the stored hash of seq - 1 (checked once per INSERT statement, over all its rows);
--    with the unique key (job_id, seq) a chain can neither gap nor fork;
--  * the job must exist (this replaces the foreign key: jobs are never deleted, and a job with
--    events could not be, its events being append-only);
--  * the head moves only forward, at once, and at commit names an event that exists and is the last;
--  * events are never updated or deleted (V5, unchanged).

CREATE OR REPLACE FUNCTION job_event_link() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash bytea;
BEGIN
    IF NEW.hash IS NOT NULL THEN
        -- Hashed by the application; linked and checked by job_event_follows below.
        RETURN NEW;
    END IF;
    SELECT audit_head_seq, audit_head_hash INTO head_seq, head_hash
      FROM migration_job WHERE id = NEW.job_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'job_event for unknown job %', NEW.job_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF NEW.seq <> head_seq + 1 THEN
        RAISE EXCEPTION 'job_event % of job % does not follow the head of its audit chain (%)',
            NEW.seq, NEW.job_id, head_seq USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    NEW.prev_hash := head_hash;
    NEW.hash := job_event_hash(head_hash, NEW.job_id, NEW.seq, NEW.at, NEW.actor, NEW.type, NEW.phase,
            NEW.step_id, NEW.from_state, NEW.to_state, NEW.reason, NEW.detail);
    UPDATE migration_job SET audit_head_seq = NEW.seq, audit_head_hash = NEW.hash WHERE id = NEW.job_id;
    RETURN NEW;
END
$$;

-- Once per INSERT statement: every new event follows its predecessor and belongs to a job.
CREATE FUNCTION job_event_follows() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.job_id, n.seq,
           (SELECT count(*) FROM migration_job j WHERE j.id = n.job_id) AS jobs
      INTO bad
      FROM appended n
      LEFT JOIN job_event p ON p.job_id = n.job_id AND p.seq = n.seq - 1
     WHERE NOT EXISTS (SELECT 1 FROM migration_job j WHERE j.id = n.job_id)
        OR CASE WHEN n.seq = 1
                THEN n.prev_hash <> '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
                ELSE p.hash IS DISTINCT FROM n.prev_hash END
     LIMIT 1;
    IF FOUND THEN
        IF bad.jobs = 0 THEN
            RAISE EXCEPTION 'job_event for unknown job %', bad.job_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        RAISE EXCEPTION 'job_event % of job % does not follow the head of its audit chain', bad.seq, bad.job_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER job_event_follows AFTER INSERT ON job_event
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION job_event_follows();

ALTER TABLE job_event DROP CONSTRAINT job_event_job_id_fkey;

-- The head moves only forward (the application moves it with each change, V5's trigger when it
-- hashes an event itself); where to is checked at commit, when the events it names are written.
CREATE OR REPLACE FUNCTION audit_head_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2
            AND (NEW.audit_head_seq IS DISTINCT FROM OLD.audit_head_seq
                 OR NEW.audit_head_hash IS DISTINCT FROM OLD.audit_head_hash)
            AND NEW.audit_head_seq <= OLD.audit_head_seq THEN
        RAISE EXCEPTION 'the audit head of job % moves only when an event is appended', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

-- Checks the head the job has at commit, not the one this update wrote: a transaction that changes
-- a job twice (two changes, each with its events) moves the head twice, and only the last counts.
CREATE FUNCTION audit_head_exists() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash bytea;
BEGIN
    SELECT audit_head_seq, audit_head_hash INTO head_seq, head_hash FROM migration_job WHERE id = NEW.id;
    IF NOT EXISTS (SELECT 1 FROM job_event WHERE job_id = NEW.id AND seq = head_seq AND hash = head_hash)
            OR EXISTS (SELECT 1 FROM job_event WHERE job_id = NEW.id AND seq > head_seq) THEN
        RAISE EXCEPTION 'the audit head of job % moves only when an event is appended', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER audit_head_exists AFTER UPDATE OF audit_head_seq, audit_head_hash ON migration_job
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (NEW.audit_head_seq IS DISTINCT FROM OLD.audit_head_seq
          OR NEW.audit_head_hash IS DISTINCT FROM OLD.audit_head_hash)
    EXECUTE FUNCTION audit_head_exists();
