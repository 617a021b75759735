-- Every alert an alerting system sent, with what Ferry did about it: rolled back job X, duplicate,
-- matched nothing, not eligible, or ignored (resolved).
CREATE TABLE alert_receipt (
    id           uuid PRIMARY KEY,
    source       text        NOT NULL,
    fingerprint  text        NOT NULL,
    status       text        NOT NULL,
    received_at  timestamptz NOT NULL,
    summary      text,
    outcomes     jsonb       NOT NULL,
    payload      jsonb       NOT NULL
);
CREATE INDEX alert_receipt_fingerprint ON alert_receipt (source, fingerprint, received_at DESC);
