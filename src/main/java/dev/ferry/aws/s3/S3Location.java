package dev.ferry.aws.s3;

import com.fasterxml.jackson.databind.JsonNode;

/** A bucket and a key (or a key prefix). */
public record S3Location(String bucket, String key) {

    /** Reads {@code <side>Bucket} and {@code <side>Key} from a step's parameters. */
    static S3Location of(JsonNode with, String side, String keyName) {
        return new S3Location(
                with.path(side + "Bucket").asText(), with.path(side + keyName).asText(""));
    }

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return uri();
    }
}
