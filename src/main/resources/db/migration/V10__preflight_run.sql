-- Preflight runs of a job: what was checked before its window, and whether it may start.
-- Append-only, like the timeline; a job view shows the latest run.

CREATE TABLE preflight_run (
    id          uuid PRIMARY KEY,
    job_id      uuid        NOT NULL REFERENCES migration_job (id),
    run_at      timestamptz NOT NULL,
    actor       text        NOT NULL,
    blocking    boolean     NOT NULL,
    findings    jsonb       NOT NULL       -- [{step, part, severity, check, subject, reason}]
);

CREATE INDEX preflight_run_job ON preflight_run (job_id, run_at DESC);
