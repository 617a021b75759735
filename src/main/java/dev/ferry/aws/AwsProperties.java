package dev.ferry.aws;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * AWS access ({@code ferry.aws.*}).
 *
 * @param region the region when a step names none
 * @param endpoint an endpoint override for every service (an emulator); when unset, the standard
 *     {@code AWS_ENDPOINT_URL} environment variable is honoured
 */
@ConfigurationProperties("ferry.aws")
public record AwsProperties(@DefaultValue("us-east-1") String region, URI endpoint) {

    /** The endpoint override in force, if any. */
    public URI effectiveEndpoint() {
        if (endpoint != null) {
            return endpoint;
        }
        String fromEnvironment = System.getenv("AWS_ENDPOINT_URL");
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : URI.create(fromEnvironment);
    }
}
