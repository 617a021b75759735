-- The audit timeline becomes tamper-evident: every job_event stores the hash of its predecessor
-- (prev_hash) and its own hash over its content and prev_hash; the job row keeps the head of its
-- chain (audit_head_seq, audit_head_hash), so a deleted last event is detected too.
--
-- Why the hash is computed here, in a BEFORE INSERT trigger, and not in Java:
--  * it is computed over the values exactly as stored (timestamptz rounded to microseconds, jsonb
--    normalised: key order, whitespace, numbers), so nothing can differ between what was hashed and
--    what a verifier reads back;
--  * no writer can skip it or get it wrong, whichever code path inserts the row;
--  * it costs no extra round trip: the predecessor's hash is read from the job row, which the
--    writing transaction already holds locked (JobLocks), and updated in the same call.
-- The verifier (dev.ferry.audit.AuditChain) recomputes the same encoding in Java, independently of
-- these functions.
--
-- Canonical encoding (version 1), SHA-256 over the concatenation of:
--   0x01 (encoding version) | prev_hash (32 bytes) | job_id (16 bytes, uuid_send) | seq (int8, big endian)
--   | at as microseconds since the Unix epoch (int8, big endian)
--   | actor | type | phase | step_id | from_state | to_state | reason | detail::text
-- where each of the eight text fields is 0x00 when NULL, else 0x01 | its UTF-8 length (int4, big
-- endian) | its UTF-8 bytes, so NULL, '' and shifted boundaries never collide. detail is hashed in
-- jsonb's own text form, which is deterministic for a stored value. The first event of a job has
-- prev_hash = 32 zero bytes (its job id is part of its content).
-- Requires PostgreSQL 14+ (EXTRACT returns numeric: exact microseconds) for sha256() and the rest.

CREATE FUNCTION audit_field(value text) RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN value IS NULL THEN '\x00'::bytea
                ELSE '\x01'::bytea || int4send(octet_length(convert_to(value, 'UTF8'))) || convert_to(value, 'UTF8')
           END
$$;

CREATE FUNCTION job_event_hash(prev_hash bytea, job_id uuid, seq bigint, at timestamptz, actor text, type text,
        phase text, step_id text, from_state text, to_state text, reason text, detail jsonb) RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sha256('\x01'::bytea || prev_hash || uuid_send(job_id) || int8send(seq)
            || int8send((EXTRACT(EPOCH FROM at) * 1000000)::bigint)
            || audit_field(actor) || audit_field(type) || audit_field(phase) || audit_field(step_id)
            || audit_field(from_state) || audit_field(to_state) || audit_field(reason) || audit_field(detail::text))
$$;

ALTER TABLE job_event ADD COLUMN prev_hash bytea;
ALTER TABLE job_event ADD COLUMN hash bytea;
ALTER TABLE migration_job ADD COLUMN audit_head_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE migration_job ADD COLUMN audit_head_hash bytea NOT NULL
    DEFAULT '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;

-- Chain the events written before this migration, in seq order per job, with the same function.
DO $$
DECLARE
    genesis CONSTANT bytea := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    e record;
    previous bytea;
    current_job uuid;
    h bytea;
BEGIN
    FOR e IN SELECT * FROM job_event ORDER BY job_id, seq LOOP
        IF current_job IS DISTINCT FROM e.job_id THEN
            current_job := e.job_id;
            previous := genesis;
        END IF;
        h := job_event_hash(previous, e.job_id, e.seq, e.at, e.actor, e.type, e.phase, e.step_id, e.from_state,
                e.to_state, e.reason, e.detail);
        UPDATE job_event SET prev_hash = previous, hash = h WHERE id = e.id;
        previous := h;
    END LOOP;
    UPDATE migration_job j SET audit_head_seq = last.seq, audit_head_hash = last.hash
      FROM (SELECT DISTINCT ON (job_id) job_id, seq, hash FROM job_event ORDER BY job_id, seq DESC) last
     WHERE j.id = last.job_id;
END
$$;

ALTER TABLE job_event ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE job_event ALTER COLUMN hash SET NOT NULL;
ALTER TABLE job_event ADD CONSTRAINT job_event_hash_size CHECK (octet_length(hash) = 32 AND octet_length(prev_hash) = 32);

-- Links each new event to its job's chain. The job row is locked FOR UPDATE (the writer holds it
-- already; taking it here as well keeps the chain linear even for a writer that forgot to), and the
-- event must be exactly the next one: a gap or a fork fails the transaction.
CREATE FUNCTION job_event_link() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash bytea;
BEGIN
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

CREATE TRIGGER job_event_link BEFORE INSERT ON job_event
    FOR EACH ROW EXECUTE FUNCTION job_event_link();

-- Append-only, for every role including the owner and superusers (triggers apply to them too): any
-- UPDATE, DELETE or TRUNCATE of job_event fails, even one that matches no row. Only someone who can
-- disable triggers (the table owner, or a superuser with session_replication_role) gets past it.
-- A REVOKE would add nothing here: the application connects as the owner of its tables (Flyway
-- runs on the same connection), and an owner can grant itself back any privilege. Where the
-- application runs as its own role, grant it only SELECT, INSERT on job_event in addition.
CREATE FUNCTION job_event_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'job_event is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit events are never changed or removed; append a new event instead.';
END
$$;

CREATE TRIGGER job_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON job_event
    FOR EACH STATEMENT EXECUTE FUNCTION job_event_append_only();

-- The head of a chain moves only when an event is appended (the trigger above, one level down):
-- a direct UPDATE of these columns fails.
CREATE FUNCTION audit_head_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2
            AND (NEW.audit_head_seq IS DISTINCT FROM OLD.audit_head_seq
                 OR NEW.audit_head_hash IS DISTINCT FROM OLD.audit_head_hash) THEN
        RAISE EXCEPTION 'the audit head of job % moves only when an event is appended', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_head_guard BEFORE UPDATE OF audit_head_seq, audit_head_hash ON migration_job
    FOR EACH ROW EXECUTE FUNCTION audit_head_guard();
