package dev.ferry.aws.secretsmanager;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reading a secret's version-to-stage map, and version ids derived from tokens. */
final class SecretVersions {

    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";

    private SecretVersions() {}

    /**
     * A version id (Secrets Manager's ClientRequestToken, 32 to 64 characters) that is the same on
     * every retry of one step, so a repeated write names the version it already made.
     */
    static String versionId(String seed) {
        return UUID.nameUUIDFromBytes(("ferry:" + seed).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static Optional<String> withStage(Map<String, List<String>> versions, String stage) {
        return versions.entrySet().stream()
                .filter(e -> e.getValue().contains(stage))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
