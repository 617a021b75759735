-- Plans that stay right while tables grow. A plan is cached per connection (PL/pgSQL's for its
-- statements, the server's for prepared ones) and made again only when statistics or the schema
-- change. V26's job_event_follows joined the new events to job_event in one statement: planned on a
-- young database, that was a hash join over a sequential scan of every event and every job, kept
-- for the connection's life. On the engine benchmark (fresh database, 5,000-20,000 events) it was
-- 5 ms of PostgreSQL CPU per insert, nearly all the database's work.

-- Same checks as V26 (a job that exists, seq 1 linked to the genesis hash, any other seq to the
-- stored hash of seq - 1), by unique-key lookups: one for the first new event of each job (a
-- statement carries a few events of one job), the rest follow the event before them in the same
-- statement. Sequential scans are never right for these lookups, whatever the statistics said
-- when the plan was made: they are disabled for this function only.
CREATE OR REPLACE FUNCTION job_event_follows() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_seqscan = off
AS $$
DECLARE
    n record;
    last_job uuid;
    last_seq bigint;
    last_hash bytea;
    job_exists boolean;
    prev bytea;
BEGIN
    FOR n IN SELECT job_id, seq, prev_hash, hash FROM appended ORDER BY job_id, seq LOOP
        IF n.job_id IS DISTINCT FROM last_job THEN
            SELECT EXISTS (SELECT FROM migration_job j WHERE j.id = n.job_id),
                   (SELECT p.hash FROM job_event p WHERE p.job_id = n.job_id AND p.seq = n.seq - 1)
              INTO job_exists, prev;
            IF NOT job_exists THEN
                RAISE EXCEPTION 'job_event for unknown job %', n.job_id USING ERRCODE = 'foreign_key_violation';
            END IF;
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
        last_job := n.job_id;
        last_seq := n.seq;
        last_hash := n.hash;
    END LOOP;
    RETURN NULL;
END
$$;

-- Approvals of a phase's round (every quorum count and approval) had no index to use: each read
-- scanned every approval ever given.
CREATE INDEX approval_round ON approval (phase_execution_id, round);
