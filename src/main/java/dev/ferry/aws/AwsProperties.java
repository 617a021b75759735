package dev.ferry.aws;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * AWS access ({@code ferry.aws.*}).
 *
 * @param region the region when a step names none
 * @param endpoint an endpoint override for every service (an emulator); when unset, the standard
 *     {@code AWS_ENDPOINT_URL} environment variable is honoured
 * @param maxAttempts attempts of one SDK call (the SDK's standard retry strategy: exponential
 *     backoff with jitter, for throttling, 5xx and network errors); a call that still fails is a
 *     failed step attempt, which the step's own retry policy may try again
 * @param apiCallAttemptTimeout how long one HTTP attempt may take
 * @param apiCallTimeout how long one SDK call may take, all its attempts included
 */
@ConfigurationProperties("ferry.aws")
public record AwsProperties(
        @DefaultValue("us-east-1") String region,
        URI endpoint,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("PT30S") Duration apiCallAttemptTimeout,
        @DefaultValue("PT2M") Duration apiCallTimeout) {

    /** The constructor settings bind to (a record with two constructors must say which). */
    @ConstructorBinding
    public AwsProperties {}

    /** Region and endpoint, with the default retries and timeouts. */
    public AwsProperties(String region, URI endpoint) {
        this(region, endpoint, 3, Duration.ofSeconds(30), Duration.ofMinutes(2));
    }

    /** The endpoint override in force, if any. */
    public URI effectiveEndpoint() {
        if (endpoint != null) {
            return endpoint;
        }
        String fromEnvironment = System.getenv("AWS_ENDPOINT_URL");
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : URI.create(fromEnvironment);
    }
}
