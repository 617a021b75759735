-- Plans that stay right while tables grow. A plan is cached per connection (PL/pgSQL's for its
-- statements, the server's for prepared ones) and made again only when statistics or the schema
-- change. V26's job_event_follows joined the new events to job_event in one statement: planned on a
-- young database, that was a hash join over a sequential scan of every event and every job, kept
-- for the connection's life. On the engine benchmark (fresh database, 5,000-20,000 events) it was
-- 5 ms of PostgreSQL CPU per insert, nearly all the database's work.

-- Same checks as V26 and V31 (a job that exists and had not ended before this transaction, seq 1
-- linked to the genesis hash, any other seq to the stored hash of seq - 1), in one trigger instead
-- of two, by unique-key lookups: one for the first new event of each job (a statement carries a
-- few events of one job), the rest follow the event before them in the same statement. The chain
-- is checked before the closed history, as when they were two triggers (fired in name order).
-- Sequential scans are never right for these lookups, whatever the statistics said when the plan
-- was made: they are disabled for these functions only.
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

-- Approvals of a phase's round (every quorum count and approval) had no index to use: each read
-- scanned every approval ever given.
CREATE INDEX approval_round ON approval (phase_execution_id, round);
