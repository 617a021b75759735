-- MessageIds of the SNS deliveries Ferry acted on: the primary key refuses a replay on every replica
-- and after restarts. A row expires when its message would be refused by its Timestamp anyway.
CREATE TABLE sns_message_seen (
    message_id  text        PRIMARY KEY,
    topic_arn   text        NOT NULL,
    received_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE INDEX sns_message_seen_expires_at ON sns_message_seen (expires_at);
