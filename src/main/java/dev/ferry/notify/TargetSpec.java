package dev.ferry.notify;

import java.util.List;

/**
 * A target as a person writes it, in configuration or in a create-job request:
 * {@code {type: webhook|slack|sns, url, topicArn, secret, events: [job.paused, ...]}}.
 */
public record TargetSpec(String type, String url, String topicArn, String secret, List<String> events) {}
