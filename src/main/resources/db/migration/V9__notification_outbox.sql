-- Outbound notifications: targets a job was created with, and the transactional outbox the
-- delivery worker drains. An outbox row is written in the same transaction as the job event it
-- is about, one row per (event, target); its id is the CloudEvent id receivers deduplicate on.

CREATE TABLE job_notification_target (
    job_id      uuid        NOT NULL REFERENCES migration_job (id),
    ordinal     integer     NOT NULL,
    type        text        NOT NULL CHECK (type IN ('WEBHOOK', 'SLACK', 'SNS')),
    url         text,
    topic_arn   text,
    secret      text,                  -- HMAC key of a webhook; never shown in job views
    events      text[]      NOT NULL DEFAULT '{}',  -- empty: every kind
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (job_id, ordinal)
);

CREATE TABLE notification_outbox (
    id               uuid PRIMARY KEY,
    job_id           uuid        NOT NULL REFERENCES migration_job (id),
    event_seq        bigint      NOT NULL,      -- the job_event this notifies about
    kind             text        NOT NULL,      -- approval.requested, job.paused, ...
    target           text        NOT NULL,      -- a global target's name, or job:<ordinal>
    target_type      text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    claimed_by       text,
    claim_token      bigint      NOT NULL DEFAULT 0,  -- bumped by every claim: fences a stale sender
    claim_expires_at timestamptz,
    last_error       text,
    payload          jsonb       NOT NULL,      -- the CloudEvent, as built when the event was recorded
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz,
    CONSTRAINT notification_outbox_once UNIQUE (job_id, event_seq, target)
);
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notification_outbox_job ON notification_outbox (job_id, target, event_seq);
