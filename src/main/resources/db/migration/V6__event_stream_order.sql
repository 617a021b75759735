-- The all-jobs event stream reads job_event in commit-safe order. Ids come from a sequence and are
-- taken before commit, so "id > last seen" can skip an event whose transaction commits late. Every
-- transaction still running has an xid at or above the current snapshot's xmin, so events ordered
-- by (tx, id) and read only below xmin never gain a predecessor after they were read.
ALTER TABLE job_event ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX job_event_stream_order ON job_event (tx, id);
