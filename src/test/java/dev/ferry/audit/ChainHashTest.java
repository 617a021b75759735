package dev.ferry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChainHashTest {

    private static final UUID JOB = UUID.fromString("6f1c2a3e-0000-4000-8000-000000000001");
    private static final Instant AT = Instant.parse("2026-11-22T03:14:36.200001Z");

    private static ChainHash.EventContent content(String actor, String type, String reason, String detail) {
        return new ChainHash.EventContent(JOB, 1, AT, actor, type, null, null, null, "RUNNING", reason, detail);
    }

    private static String hex(ChainHash.EventContent content) {
        return HexFormat.of().formatHex(ChainHash.of(ChainHash.GENESIS, content));
    }

    @Test
    void nullAndEmptyDoNotCollide() {
        assertThat(hex(content("ana", "JOB_STARTED", null, "{}")))
                .isNotEqualTo(hex(content("ana", "JOB_STARTED", "", "{}")));
    }

    @Test
    void movingABoundaryBetweenFieldsChangesTheHash() {
        assertThat(hex(content("an", "aJOB_STARTED", null, "{}")))
                .isNotEqualTo(hex(content("ana", "JOB_STARTED", null, "{}")));
    }

    @Test
    void theHashCoversThePreviousHashAndEveryField() {
        ChainHash.EventContent base = content("ana", "JOB_STARTED", "go", "{}");
        byte[] other = new byte[32];
        other[31] = 1;
        assertThat(ChainHash.of(other, base)).isNotEqualTo(ChainHash.of(ChainHash.GENESIS, base));
        assertThat(hex(content("ana", "JOB_STARTED", "go", "{\"a\": 1}"))).isNotEqualTo(hex(base));
        assertThat(hex(new ChainHash.EventContent(
                        JOB, 2, AT, "ana", "JOB_STARTED", null, null, null, "RUNNING", "go", "{}")))
                .isNotEqualTo(hex(base));
        assertThat(hex(new ChainHash.EventContent(
                        JOB, 1, AT.plusNanos(1_000), "ana", "JOB_STARTED", null, null, null, "RUNNING", "go", "{}")))
                .isNotEqualTo(hex(base));
        assertThat(ChainHash.of(ChainHash.GENESIS, base)).hasSize(32);
    }

    @Test
    void timesCountInWholeMicroseconds() {
        assertThat(ChainHash.micros(AT)).isEqualTo(1_795_317_276_200_001L);
        assertThat(ChainHash.micros(AT.plusNanos(999))).isEqualTo(ChainHash.micros(AT));
    }
}
