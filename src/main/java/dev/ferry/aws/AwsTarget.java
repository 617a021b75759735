package dev.ferry.aws;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a step acts: a region, and optionally a role to assume there (cross-account work).
 * Every AWS action accepts {@code region} and {@code roleArn} in its {@code with} block.
 */
public record AwsTarget(String region, String roleArn) {

    static AwsTarget of(JsonNode parameters, AwsProperties defaults) {
        String region = parameters.path("region").asText(null);
        String roleArn = parameters.path("roleArn").asText(null);
        return new AwsTarget(
                region == null || region.isBlank() ? defaults.region() : region,
                roleArn == null || roleArn.isBlank() ? null : roleArn);
    }
}
