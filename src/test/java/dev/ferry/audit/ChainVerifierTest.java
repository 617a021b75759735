package dev.ferry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {

    private static final UUID JOB = UUID.randomUUID();

    /** A stored event: content, and the hashes as stored. */
    private record Row(ChainHash.EventContent content, byte[] prevHash, byte[] hash) {}

    private static List<Row> chain(int length) {
        List<Row> rows = new ArrayList<>();
        byte[] previous = ChainHash.GENESIS;
        for (int seq = 1; seq <= length; seq++) {
            ChainHash.EventContent content = content(seq, "reason " + seq);
            byte[] hash = ChainHash.of(previous, content);
            rows.add(new Row(content, previous, hash));
            previous = hash;
        }
        return rows;
    }

    private static ChainHash.EventContent content(long seq, String reason) {
        return new ChainHash.EventContent(
                JOB,
                seq,
                Instant.parse("2026-11-22T03:14:36Z").plusSeconds(seq),
                "ana",
                "STEP_STARTED",
                "COPY",
                "copy",
                null,
                null,
                reason,
                "{}");
    }

    private static ChainVerification verify(List<Row> rows, long headSeq, byte[] headHash) {
        ChainVerifier verifier = new ChainVerifier();
        for (Row row : rows) {
            verifier.accept(
                    row.content().seq(), row.prevHash(), row.hash(), ChainHash.of(row.prevHash(), row.content()));
        }
        return verifier.finish(headSeq, headHash);
    }

    private static ChainVerification verify(List<Row> rows, List<Row> original) {
        Row head = original.get(original.size() - 1);
        return verify(rows, head.content().seq(), head.hash());
    }

    @Test
    void anIntactChainVerifies() {
        List<Row> rows = chain(5);
        assertThat(verify(rows, rows)).isEqualTo(new ChainVerification(true, 5, null, null));
    }

    @Test
    void anEditedEventIsFoundAtItsSeq() {
        List<Row> original = chain(5);
        List<Row> rows = new ArrayList<>(original);
        Row third = rows.get(2);
        rows.set(2, new Row(content(3, "edited"), third.prevHash(), third.hash()));
        assertThat(verify(rows, original).firstInvalidSeq()).isEqualTo(3);
    }

    @Test
    void anEditedAndReHashedEventIsFoundByItsSuccessorOrTheHead() {
        List<Row> original = chain(5);
        List<Row> rows = new ArrayList<>(original);
        Row third = rows.get(2);
        rows.set(
                2,
                new Row(content(3, "forged"), third.prevHash(), ChainHash.of(third.prevHash(), content(3, "forged"))));
        assertThat(verify(rows, original).firstInvalidSeq()).isEqualTo(3);

        rows = new ArrayList<>(original);
        Row last = rows.get(4);
        rows.set(
                4, new Row(content(5, "forged"), last.prevHash(), ChainHash.of(last.prevHash(), content(5, "forged"))));
        assertThat(verify(rows, original).firstInvalidSeq()).isEqualTo(5);
    }

    @Test
    void deletionsAreFound() {
        List<Row> original = chain(5);
        List<Row> rows = new ArrayList<>(original);
        rows.remove(1);
        assertThat(verify(rows, original).firstInvalidSeq()).isEqualTo(2);

        rows = new ArrayList<>(original);
        rows.remove(4);
        ChainVerification lastGone = verify(rows, original);
        assertThat(lastGone.firstInvalidSeq()).isEqualTo(5);
        assertThat(lastGone.checkedEvents()).isEqualTo(4);

        assertThat(verify(List.of(), original).firstInvalidSeq()).isEqualTo(1);
        assertThat(verify(List.of(), 0, ChainHash.GENESIS).valid()).isFalse();
    }

    @Test
    void eventsBeyondTheHeadAreFound() {
        List<Row> rows = chain(5);
        Row fourth = rows.get(3);
        assertThat(verify(rows, 4, fourth.hash()).firstInvalidSeq()).isEqualTo(5);
    }
}
