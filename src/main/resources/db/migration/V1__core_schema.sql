-- Ferry's core schema: plans, jobs with their phases and steps, approvals, the audit timeline and
-- idempotency keys. Times are timestamptz, documents jsonb. Mutable rows carry a version column.

CREATE TABLE plan (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL,
    version       integer     NOT NULL,
    sha256        text    NOT NULL,
    description   text,
    document      jsonb       NOT NULL,  -- the normalized document, what jobs execute
    source        text        NOT NULL,  -- exactly what was registered
    source_type   text        NOT NULL,  -- yaml or json
    built_in      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    created_by    text        NOT NULL,
    CONSTRAINT plan_name_version UNIQUE (name, version),
    CONSTRAINT plan_name_sha256 UNIQUE (name, sha256)
);

CREATE TABLE migration_job (
    id             uuid PRIMARY KEY,
    name           text        NOT NULL,
    plan_id        uuid        NOT NULL REFERENCES plan (id),
    state          text        NOT NULL,
    current_phase  text,
    parameters     jsonb       NOT NULL,
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz,
    last_error     text,
    last_event_seq bigint      NOT NULL DEFAULT 0,  -- job_event.seq is allocated from here, under the row lock
    version        bigint      NOT NULL DEFAULT 0
);
CREATE INDEX migration_job_listing ON migration_job (created_at DESC, id DESC);
CREATE INDEX migration_job_state ON migration_job (state, created_at DESC);
CREATE INDEX migration_job_plan ON migration_job (plan_id);

CREATE TABLE phase_execution (
    id                     uuid PRIMARY KEY,
    job_id                 uuid        NOT NULL REFERENCES migration_job (id),
    phase                  text        NOT NULL,
    ordinal                integer     NOT NULL,
    status                 text        NOT NULL,
    approvals_required     integer     NOT NULL DEFAULT 0,
    approval_round         integer     NOT NULL DEFAULT 0,  -- a resumed rejection opens a new round
    approval_requested_at  timestamptz,
    started_at             timestamptz,
    finished_at            timestamptz,
    version                bigint      NOT NULL DEFAULT 0,
    CONSTRAINT phase_execution_once UNIQUE (job_id, phase)
);

CREATE TABLE step_execution (
    id                  uuid PRIMARY KEY,
    job_id              uuid        NOT NULL REFERENCES migration_job (id),
    phase_execution_id  uuid        NOT NULL REFERENCES phase_execution (id),
    phase               text        NOT NULL,
    step_id             text        NOT NULL,
    ordinal             integer     NOT NULL,
    action              text        NOT NULL,
    status              text        NOT NULL,
    attempt             integer     NOT NULL DEFAULT 0,
    max_attempts        integer     NOT NULL,
    irreversible        boolean     NOT NULL DEFAULT false,
    next_run_at         timestamptz,          -- set while the step waits for a worker; null otherwise
    lease_owner         text,
    lease_token         bigint      NOT NULL DEFAULT 0,  -- bumped by every claim: fences stale workers
    lease_expires_at    timestamptz,
    attempt_started_at  timestamptz,
    started_at          timestamptz,
    finished_at         timestamptz,
    deadline_at         timestamptz,
    progress            jsonb,                -- the handler's state between polls
    output              jsonb,
    error               jsonb,
    message             text,
    skip_reason         text,
    version             bigint      NOT NULL DEFAULT 0,
    CONSTRAINT step_execution_once UNIQUE (job_id, step_id)
);
CREATE INDEX step_execution_due ON step_execution (next_run_at) WHERE next_run_at IS NOT NULL;
CREATE INDEX step_execution_job ON step_execution (job_id, ordinal);
CREATE INDEX step_execution_lease ON step_execution (lease_expires_at) WHERE lease_owner IS NOT NULL;

CREATE TABLE approval (
    id                  uuid PRIMARY KEY,
    job_id              uuid        NOT NULL REFERENCES migration_job (id),
    phase_execution_id  uuid        NOT NULL REFERENCES phase_execution (id),
    phase               text        NOT NULL,
    round               integer     NOT NULL,
    actor               text        NOT NULL,
    decision            text        NOT NULL CHECK (decision IN ('APPROVED', 'REJECTED')),
    comment             text,
    plan_sha256         text    NOT NULL,  -- what the approver saw
    created_at          timestamptz NOT NULL,
    expires_at          timestamptz,
    superseded_at       timestamptz           -- an expired approval given again is superseded, never deleted
);
-- One live approval per approver per round: parallel duplicate clicks insert one row.
CREATE UNIQUE INDEX approval_once ON approval (phase_execution_id, round, actor)
    WHERE decision = 'APPROVED' AND superseded_at IS NULL;
CREATE INDEX approval_job ON approval (job_id, created_at);

CREATE TABLE job_event (
    id          bigserial PRIMARY KEY,
    job_id      uuid        NOT NULL REFERENCES migration_job (id),
    seq         bigint      NOT NULL,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    type        text        NOT NULL,
    phase       text,
    step_id     text,
    from_state  text,
    to_state    text,
    reason      text,
    detail      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT job_event_seq UNIQUE (job_id, seq)
);

CREATE TABLE idempotency_key (
    actor           text        NOT NULL,
    key             text        NOT NULL,
    request_sha256  text    NOT NULL,
    job_id          uuid        NOT NULL REFERENCES migration_job (id),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (actor, key)
);
