package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.job.RequestHashing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class HmacRequestHashingTest {

    private static final byte[] REQUEST =
            "{\"name\":\"x\",\"parameters\":{\"pw\":\"hunter2\"}}".getBytes(StandardCharsets.UTF_8);
    private static final MockEnvironment EXTERNAL =
            new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/ferry");

    @Test
    void theHashIsKeyedAndDiffersFromThePlainDigest() {
        RequestHashing hashing = hashing("dGVzdC1vbmx5LWZlcnJ5LXNlY3JldC1rZXktMzJieXQ=");
        String hash = hashing.hash(REQUEST);
        assertThat(hash).startsWith(RequestHashing.KEYED_PREFIX).doesNotContain(RequestHashing.sha256(REQUEST));
        assertThat(hash)
                .isNotEqualTo(
                        hashing("YW5vdGhlci1mZXJyeS1zZWNyZXQta2V5LTMyYnl0ZXM=").hash(REQUEST));
        assertThat(hashing.matches(hash, REQUEST)).isTrue();
        assertThat(hashing.matches(hash, "{}".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void rowsWrittenBeforeTheKeyStillMatchTheirRequest() {
        RequestHashing hashing = hashing("dGVzdC1vbmx5LWZlcnJ5LXNlY3JldC1rZXktMzJieXQ=");
        String legacy = RequestHashing.sha256(REQUEST);
        assertThat(hashing.matches(legacy, REQUEST)).isTrue();
        assertThat(hashing.matches(legacy, "{}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        // A bare digest is never accepted for a keyed row, nor the other way round.
        assertThat(hashing.matches(RequestHashing.KEYED_PREFIX + legacy, REQUEST))
                .isFalse();
    }

    private static RequestHashing hashing(String key) {
        SecurityProperties properties = new SecurityProperties(List.of(), null, null, key, false, Set.of(), Map.of());
        return new HmacRequestHashing(new AesGcmSecretSealing(properties, EXTERNAL));
    }
}
