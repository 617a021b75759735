package dev.ferry.notify;

/** Where a notification goes and in which format. */
public enum TargetType {
    /** A generic HTTP endpoint: CloudEvents 1.0 structured JSON, HMAC-signed. */
    WEBHOOK,
    /** A Slack incoming webhook: a readable message. The URL is a secret. */
    SLACK,
    /** An Amazon SNS topic: the CloudEvent as the message. */
    SNS
}
