-- The claim reads due steps in the order it takes them (urgent first, then oldest), so it walks an
-- index and stops after the few it takes, instead of collecting every due step and sorting them.
-- An ordered index scan also marks entries of rows no longer due (claimed, finished) dead as it
-- passes them: a queue that churns thousands of rows a minute stays cheap to read between vacuums.
CREATE INDEX step_execution_queue ON step_execution (urgent DESC, next_run_at) WHERE next_run_at IS NOT NULL;

-- A queue table: most updates change next_run_at or the lease. Vacuum it early and without
-- throttling, so dead index entries and tuples do not pile up under a steady load.
ALTER TABLE step_execution SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
