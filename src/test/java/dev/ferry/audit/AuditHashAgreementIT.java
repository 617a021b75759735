package dev.ferry.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.job.JobLocks;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application's hash of an event ({@link ChainHash} over {@link JsonbText}) agrees byte for
 * byte with the database's ({@code job_event_hash} over the stored jsonb), over random events:
 * nested documents, keys of every length and script, control characters, numbers in every
 * notation and scale, text fields NULL beside empty, instants with nanoseconds. The seed is
 * printed with a failure, so it can be replayed.
 */
class AuditHashAgreementIT extends FerryIT {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int EVENTS = 2_000;

    @Autowired
    private JobLocks locks;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Test
    void theApplicationHashesEveryEventAsTheDatabaseDoes() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        ObjectMapper mapper = new ObjectMapper();
        byte[] previous = ChainHash.GENESIS;
        for (int i = 0; i < EVENTS; i++) {
            JsonNode detail = object(random, 0);
            // What Ferry stores: the instant truncated to microseconds (AuditTrail).
            Instant at = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000))
                    .truncatedTo(ChronoUnit.MICROS);
            ChainHash.EventContent content = new ChainHash.EventContent(
                    UUID.randomUUID(),
                    1 + random.nextInt(100_000),
                    at,
                    text(random),
                    text(random),
                    maybe(random),
                    maybe(random),
                    maybe(random),
                    maybe(random),
                    maybe(random),
                    JsonbText.of(detail));
            byte[] ours = ChainHash.of(previous, content);
            // The database parses the document as any client would send it, not our canonical text.
            String sent = mapper.writeValueAsString(detail);
            byte[] theirs = jdbc.queryForObject(
                    "SELECT job_event_hash(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
                    byte[].class,
                    previous,
                    content.jobId(),
                    content.seq(),
                    Timestamp.from(at),
                    content.actor(),
                    content.type(),
                    content.phase(),
                    content.stepId(),
                    content.from(),
                    content.to(),
                    content.reason(),
                    sent);
            String printed = jdbc.queryForObject("SELECT ?::jsonb::text", String.class, sent);
            assertThat(JsonbText.of(detail))
                    .as("seed %d, event %d: jsonb's text of %s", seed, i, sent)
                    .isEqualTo(printed);
            assertThat(HexFormat.of().formatHex(ours))
                    .as("seed %d, event %d: %s", seed, i, content)
                    .isEqualTo(HexFormat.of().formatHex(theirs));
            previous = ours;
        }
    }

    @Test
    void theDatabaseRefusesAnEventThatDoesNotFollowItsPredecessorOrAHeadThatNamesNoEvent() {
        Api api = api();
        UUID id = Jobs.create(
                api,
                "alice",
                Jobs.registerPlan(
                        api, "agreement", "name: %s\nphases:\n  prepare:\n    steps:\n      - {id: a, action: noop}\n"),
                Map.of());
        long head = jdbc.queryForObject("SELECT audit_head_seq FROM migration_job WHERE id = ?", Long.class, id);
        byte[] headHash =
                jdbc.queryForObject("SELECT audit_head_hash FROM migration_job WHERE id = ?", byte[].class, id);
        String insert = "INSERT INTO job_event (job_id, seq, at, actor, type, prev_hash, hash)"
                + " VALUES (?, ?, now(), 'mallory', 'JOB_STARTED', ?, ?)";
        byte[] someHash = new byte[32];
        someHash[0] = 1;

        assertThatThrownBy(() -> jdbc.update(insert, id, head + 2, headHash, someHash))
                .as("a gap")
                .hasMessageContaining("does not follow the head");
        assertThatThrownBy(() -> jdbc.update(insert, id, head + 1, someHash, someHash))
                .as("a fork: the right seq, another predecessor")
                .hasMessageContaining("does not follow the head");
        byte[] otherHash = new byte[32];
        otherHash[0] = 2;
        assertThatThrownBy(() -> jdbc.update(
                        "INSERT INTO job_event (job_id, seq, at, actor, type, prev_hash, hash)"
                                + " VALUES (?, ?, now(), 'mallory', 'JOB_STARTED', ?, ?),"
                                + " (?, ?, now(), 'mallory', 'JOB_STARTED', ?, ?)",
                        id,
                        head + 1,
                        headHash,
                        someHash,
                        id,
                        head + 2,
                        otherHash,
                        otherHash))
                .as("a fork inside one statement: the second event does not follow the first")
                .hasMessageContaining("does not follow the head");
        assertThatThrownBy(() -> jdbc.update(insert, UUID.randomUUID(), 1L, ChainHash.GENESIS, someHash))
                .as("no such job")
                .hasMessageContaining("unknown job");
        assertThatThrownBy(() -> jdbc.update(
                        "UPDATE migration_job SET audit_head_seq = audit_head_seq + 1, audit_head_hash = ? WHERE id = ?",
                        someHash,
                        id))
                .as("a head moved to no event, refused at commit")
                .rootCause()
                .hasMessageContaining("moves only when an event is appended");
        assertThat(jdbc.queryForObject("SELECT audit_head_seq FROM migration_job WHERE id = ?", Long.class, id))
                .isEqualTo(head);
    }

    @Test
    void aTransactionThatChangesAJobTwiceLeavesOneValidChain() {
        Api api = api();
        UUID id = Jobs.create(
                api,
                "alice",
                Jobs.registerPlan(
                        api, "twice", "name: %s\nphases:\n  prepare:\n    steps:\n      - {id: a, action: noop}\n"),
                Map.of());
        // As the campaign driver does (preflight, then start): two changes, one transaction.
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            for (String reason : List.of("first", "second")) {
                locks.change(id, change -> {
                    change.record(JobEventDraft.of(JobEventType.TIMER_CHANGED, "alice")
                            .reason(reason));
                    return null;
                });
            }
        });
        JsonNode audit = api.get("/api/v1/jobs/" + id + "/audit").json();
        assertThat(audit.get("verification").get("valid").asBoolean())
                .as(audit.toString())
                .isTrue();
        JsonNode events = audit.get("events");
        assertThat(events.get(events.size() - 1).get("reason").asText()).isEqualTo("second");
        assertThat(audit.get("headSeq").asLong()).isEqualTo(events.size());
    }

    private static ObjectNode object(Random random, int depth) {
        ObjectNode object = JSON.objectNode();
        int fields = random.nextInt(depth == 0 ? 7 : 4);
        for (int i = 0; i < fields; i++) {
            object.set(key(random), value(random, depth + 1));
        }
        return object;
    }

    private static JsonNode value(Random random, int depth) {
        int kind = random.nextInt(depth >= 3 ? 9 : 11);
        return switch (kind) {
            case 0 -> JSON.numberNode(random.nextInt());
            case 1 -> JSON.numberNode(random.nextLong());
            case 2 -> JSON.numberNode(new BigInteger(100, random).negate());
            case 3 -> JSON.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4 -> JSON.numberNode(new BigDecimal(BigInteger.valueOf(random.nextInt()), random.nextInt(30) - 15));
            case 5 -> JSON.numberNode(random.nextBoolean() ? -0.0 : 0.0);
            case 6, 7 -> JSON.textNode(text(random));
            case 8 -> random.nextBoolean() ? JSON.booleanNode(random.nextBoolean()) : JSON.nullNode();
            case 9 -> object(random, depth);
            default -> {
                ArrayNode array = JSON.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(value(random, depth + 1));
                }
                yield array;
            }
        };
    }

    private static final String[] PIECES = {
        "a", "B", "z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\u0001", "\u001f", "\u007f", "é", "ß",
        "✓", "日本", "😀", "𝄞", "step-1", "PHASE", "{}", "[", ":", ","
    };

    private static String key(Random random) {
        return text(random);
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static String maybe(Random random) {
        return random.nextInt(4) == 0 ? null : text(random);
    }
}
