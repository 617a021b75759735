-- One check per appended statement instead of two, and one statement per head check instead of
-- two: the same guarantees as V26, V31 and V32 with fewer statements on every engine commit.

-- V31's closed-history check joins V32's chain check: the job row the chain check looks up for
-- the first new event of each job also says whether that job had ended before this transaction.
-- The chain is checked first, as when the two were separate triggers (fired in name order).
CREATE OR REPLACE FUNCTION job_event_follows() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_seqscan = off
AS $$
DECLARE
    n record;
    job record;
    last_job uuid;
    last_seq bigint;
    last_hash bytea;
    prev bytea;
BEGIN
    FOR n IN SELECT job_id, seq, prev_hash, hash FROM appended ORDER BY job_id, seq LOOP
        IF n.job_id IS DISTINCT FROM last_job THEN
            SELECT j.state, j.closed_in,
                   (SELECT p.hash FROM job_event p WHERE p.job_id = j.id AND p.seq = n.seq - 1) AS before_hash
              INTO job
              FROM migration_job j WHERE j.id = n.job_id;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'job_event for unknown job %', n.job_id USING ERRCODE = 'foreign_key_violation';
            END IF;
            prev := job.before_hash;
        ELSIF n.seq = last_seq + 1 THEN
            prev := last_hash;
        ELSE
            prev := (SELECT p.hash FROM job_event p WHERE p.job_id = n.job_id AND p.seq = n.seq - 1);
        END IF;
        IF n.seq = 1 THEN
            prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
        END IF;
        IF prev IS DISTINCT FROM n.prev_hash THEN
            RAISE EXCEPTION 'job_event % of job % does not follow the head of its audit chain', n.seq, n.job_id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF n.job_id IS DISTINCT FROM last_job
                AND job_state_terminal(job.state) AND job.closed_in IS DISTINCT FROM pg_current_xact_id() THEN
            RAISE EXCEPTION 'job % has ended (%): its audit chain is closed', n.job_id, job.state
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Nothing is appended to a finished job''s history; its head is final.';
        END IF;
        last_job := n.job_id;
        last_seq := n.seq;
        last_hash := n.hash;
    END LOOP;
    RETURN NULL;
END
$$;

DROP TRIGGER job_event_open ON job_event;
DROP FUNCTION job_event_open();

-- V26's head check at commit, as one statement: the head the job has then names an event that
-- exists, and no event follows it.
CREATE OR REPLACE FUNCTION audit_head_exists() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_seqscan = off
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM migration_job j
                     JOIN job_event e ON e.job_id = j.id AND e.seq = j.audit_head_seq AND e.hash = j.audit_head_hash
                    WHERE j.id = NEW.id)
            OR EXISTS (SELECT 1 FROM migration_job j
                         JOIN job_event e ON e.job_id = j.id AND e.seq > j.audit_head_seq
                        WHERE j.id = NEW.id) THEN
        RAISE EXCEPTION 'the audit head of job % moves only when an event is appended', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
