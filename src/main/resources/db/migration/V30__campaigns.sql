-- Campaigns: one plan version over a fleet of targets, in waves. The campaign row is the unit a
-- driver locks (FOR UPDATE SKIP LOCKED), so one replica at a time moves a campaign on.

CREATE TABLE campaign (
    id                 uuid PRIMARY KEY,
    name               text        NOT NULL,
    plan_id            uuid        NOT NULL REFERENCES plan (id),
    state              text        NOT NULL,
    current_wave       integer     NOT NULL DEFAULT 0,
    definition         jsonb       NOT NULL,  -- waves and failure policy, as validated at creation
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    finished_at        timestamptz,
    stopped_reason     text,
    idempotency_key    text,
    request_hash       text,
    last_event_seq     bigint      NOT NULL DEFAULT 0,
    version            bigint      NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX campaign_idempotency ON campaign (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX campaign_listing ON campaign (created_at DESC, id DESC);
CREATE INDEX campaign_active ON campaign (state) WHERE state IN ('RUNNING', 'SOAKING', 'ROLLING_BACK');

CREATE TABLE campaign_wave (
    campaign_id  uuid        NOT NULL REFERENCES campaign (id),
    wave         integer     NOT NULL,
    name         text        NOT NULL,
    started_at   timestamptz,
    approved_at  timestamptz,
    finished_at  timestamptz,
    soak_until   timestamptz,
    accepted_failures integer NOT NULL DEFAULT 0,  -- failures an operator accepted by resuming after a halt
    PRIMARY KEY (campaign_id, wave)
);

-- A target's job is created with an idempotency key derived from campaign and ordinal, so a
-- driver that dies between creating the job and linking it here finds the same job again.
-- job_id has no foreign key on purpose: its check would take a KEY SHARE lock on the job row for
-- the rest of the driver's transaction, and the driver then changes that job (start, cancel,
-- rollback) in a transaction of its own, whose FOR UPDATE would wait for it forever.
CREATE TABLE campaign_target (
    campaign_id   uuid        NOT NULL REFERENCES campaign (id),
    ordinal       integer     NOT NULL,
    wave          integer     NOT NULL,
    name          text        NOT NULL,
    labels        jsonb       NOT NULL,
    parameters    jsonb       NOT NULL,
    job_id        uuid        UNIQUE,
    launched_at   timestamptz,
    launch_error  text,
    PRIMARY KEY (campaign_id, ordinal),
    CONSTRAINT campaign_target_name UNIQUE (campaign_id, name)
);
CREATE INDEX campaign_target_wave ON campaign_target (campaign_id, wave, ordinal);

-- Wave approvals: the same rules as phase approvals (roles, four-eyes, expiry), for a wave.
CREATE TABLE campaign_approval (
    id           uuid PRIMARY KEY,
    campaign_id  uuid        NOT NULL REFERENCES campaign (id),
    wave         integer     NOT NULL,
    actor        text        NOT NULL,
    comment      text,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    superseded_at timestamptz
);
CREATE UNIQUE INDEX campaign_approval_once ON campaign_approval (campaign_id, wave, actor) WHERE superseded_at IS NULL;

-- The campaign's own timeline; seq is allocated from campaign.last_event_seq under its row lock.
CREATE TABLE campaign_event (
    id           bigserial PRIMARY KEY,
    campaign_id  uuid        NOT NULL REFERENCES campaign (id),
    seq          bigint      NOT NULL,
    at           timestamptz NOT NULL,
    actor        text        NOT NULL,
    type         text        NOT NULL,
    wave         integer,
    reason       text,
    detail       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT campaign_event_seq UNIQUE (campaign_id, seq)
);
