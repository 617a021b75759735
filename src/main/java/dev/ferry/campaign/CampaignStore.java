package dev.ferry.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.lifecycle.JobState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Campaign rows in PostgreSQL, in plain SQL. Every write of a campaign happens under its row lock
 * ({@link #lock}, {@link #lockIfDriven}) in the caller's transaction, and its events take their
 * sequence numbers from the locked row, so a timeline has no gaps and no duplicates. Jobs are
 * read (never written) from the job tables to know each target's state.
 */
@Component
class CampaignStore {

    /** The states the driver acts on by itself (see {@link CampaignState}); the others wait for a person. */
    static final String ACTIVE = "('RUNNING', 'SOAKING', 'ROLLING_BACK')";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    CampaignStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record Campaign(
            UUID id,
            String name,
            UUID planId,
            CampaignState state,
            int currentWave,
            CampaignDefinition definition,
            String createdBy,
            Instant createdAt,
            Instant updatedAt,
            Instant finishedAt,
            String stoppedReason,
            long version) {}

    record Wave(
            int wave,
            String name,
            Instant startedAt,
            Instant approvedAt,
            Instant finishedAt,
            Instant soakUntil,
            int acceptedFailures) {}

    /** A target and, once launched, its job as the job tables say now. */
    record Target(
            int ordinal,
            int wave,
            String name,
            JsonNode labels,
            JsonNode parameters,
            UUID jobId,
            Instant launchedAt,
            String launchError,
            JobState jobState,
            String currentPhase,
            String jobLastError,
            Instant firstStepAt) {

        /**
         * A job that could not be started counts as failed until someone starts it by hand; then
         * its own state counts.
         */
        WavePolicy.TargetState policyState() {
            boolean launchFailed = launchError != null && (jobState == null || jobState == JobState.CREATED);
            return new WavePolicy.TargetState(
                    ordinal,
                    launchFailed ? null : jobState,
                    jobState == JobState.PAUSED && jobLastError != null,
                    launchFailed);
        }
    }

    record Event(long seq, Instant at, String actor, String type, Integer wave, String reason, JsonNode detail) {}

    record Approval(String actor, String comment, Instant at, Instant expiresAt) {}

    void insert(Campaign c, String idempotencyKey, String requestHash) {
        jdbc.update(
                """
                INSERT INTO campaign (id, name, plan_id, state, current_wave, definition, created_by, created_at,
                                      updated_at, idempotency_key, request_hash)
                VALUES (?, ?, ?, ?, 0, ?::jsonb, ?, ?, ?, ?, ?)""",
                c.id(),
                c.name(),
                c.planId(),
                c.state().name(),
                write(c.definition()),
                c.createdBy(),
                ts(c.createdAt()),
                ts(c.createdAt()),
                idempotencyKey,
                requestHash);
        for (int w = 0; w < c.definition().waves().size(); w++) {
            jdbc.update(
                    "INSERT INTO campaign_wave (campaign_id, wave, name) VALUES (?, ?, ?)",
                    c.id(),
                    w,
                    c.definition().waves().get(w).name());
        }
    }

    void insertTarget(UUID campaign, int ordinal, int wave, CampaignDefinition.Target t) {
        jdbc.update(
                """
                INSERT INTO campaign_target (campaign_id, ordinal, wave, name, labels, parameters)
                VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)""",
                campaign,
                ordinal,
                wave,
                t.name(),
                write(t.labels()),
                write(t.parameters()));
    }

    /** The campaign created under this key by this caller: its id and request hash. */
    Optional<String[]> byIdempotencyKey(String actor, String key) {
        return jdbc
                .query(
                        "SELECT id, request_hash FROM campaign WHERE created_by = ? AND idempotency_key = ?",
                        (rs, n) -> new String[] {rs.getString(1), rs.getString(2)},
                        actor,
                        key)
                .stream()
                .findFirst();
    }

    /** Locks the campaign row for this transaction, waiting for another holder. */
    Optional<Campaign> lock(UUID id) {
        return jdbc.query("SELECT * FROM campaign WHERE id = ? FOR UPDATE", this::campaign, id).stream()
                .findFirst();
    }

    /** Locks the campaign if the driver should move it and no other replica is doing so right now. */
    Optional<Campaign> lockIfDriven(UUID id) {
        return jdbc
                .query(
                        "SELECT * FROM campaign WHERE id = ? AND state IN " + ACTIVE + " FOR UPDATE SKIP LOCKED",
                        this::campaign,
                        id)
                .stream()
                .findFirst();
    }

    Optional<Campaign> find(UUID id) {
        return jdbc.query("SELECT * FROM campaign WHERE id = ?", this::campaign, id).stream()
                .findFirst();
    }

    List<UUID> driven() {
        return jdbc.queryForList(
                "SELECT id FROM campaign WHERE state IN " + ACTIVE + " ORDER BY updated_at LIMIT 100", UUID.class);
    }

    List<Campaign> list(CampaignState state, int limit) {
        return state == null
                ? jdbc.query("SELECT * FROM campaign ORDER BY created_at DESC, id DESC LIMIT ?", this::campaign, limit)
                : jdbc.query(
                        "SELECT * FROM campaign WHERE state = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                        this::campaign,
                        state.name(),
                        limit);
    }

    List<Wave> waves(UUID id) {
        return jdbc.query(
                "SELECT * FROM campaign_wave WHERE campaign_id = ? ORDER BY wave",
                (rs, n) -> new Wave(
                        rs.getInt("wave"),
                        rs.getString("name"),
                        instant(rs, "started_at"),
                        instant(rs, "approved_at"),
                        instant(rs, "finished_at"),
                        instant(rs, "soak_until"),
                        rs.getInt("accepted_failures")),
                id);
    }

    List<Target> targets(UUID id) {
        return jdbc.query(
                """
                SELECT t.*, j.state AS job_state, j.current_phase, j.last_error,
                       (SELECT min(s.started_at) FROM step_execution s WHERE s.job_id = t.job_id) AS first_step_at
                  FROM campaign_target t LEFT JOIN migration_job j ON j.id = t.job_id
                 WHERE t.campaign_id = ? ORDER BY t.ordinal""",
                (rs, n) -> new Target(
                        rs.getInt("ordinal"),
                        rs.getInt("wave"),
                        rs.getString("name"),
                        read(rs.getString("labels")),
                        read(rs.getString("parameters")),
                        rs.getObject("job_id", UUID.class),
                        instant(rs, "launched_at"),
                        rs.getString("launch_error"),
                        rs.getString("job_state") == null ? null : JobState.valueOf(rs.getString("job_state")),
                        rs.getString("current_phase"),
                        rs.getString("last_error"),
                        instant(rs, "first_step_at")),
                id);
    }

    void state(UUID id, CampaignState state, Instant now, String reason) {
        jdbc.update(
                """
                UPDATE campaign SET state = ?, updated_at = ?, version = version + 1,
                       stopped_reason = coalesce(?, stopped_reason),
                       finished_at = CASE WHEN ? THEN ? ELSE finished_at END
                 WHERE id = ?""",
                state.name(),
                ts(now),
                reason,
                state.isTerminal(),
                ts(now),
                id);
    }

    void currentWave(UUID id, int wave, Instant now) {
        jdbc.update(
                "UPDATE campaign SET current_wave = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                wave,
                ts(now),
                id);
    }

    void waveTimes(UUID id, int wave, String column, Instant at) {
        if (!List.of("started_at", "approved_at", "finished_at", "soak_until").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        jdbc.update("UPDATE campaign_wave SET " + column + " = ? WHERE campaign_id = ? AND wave = ?", ts(at), id, wave);
    }

    JobState jobState(UUID jobId) {
        return jdbc
                .query(
                        "SELECT state FROM migration_job WHERE id = ?",
                        (rs, n) -> JobState.valueOf(rs.getString(1)),
                        jobId)
                .stream()
                .findFirst()
                .orElse(null);
    }

    void acceptFailures(UUID id, int wave, int failures) {
        jdbc.update(
                "UPDATE campaign_wave SET accepted_failures = ? WHERE campaign_id = ? AND wave = ?",
                failures,
                id,
                wave);
    }

    void launched(UUID id, int ordinal, UUID jobId, Instant at) {
        jdbc.update(
                "UPDATE campaign_target SET job_id = ?, launched_at = coalesce(launched_at, ?)"
                        + " WHERE campaign_id = ? AND ordinal = ?",
                jobId,
                ts(at),
                id,
                ordinal);
    }

    void launchFailed(UUID id, int ordinal, String error) {
        jdbc.update(
                "UPDATE campaign_target SET launch_error = ? WHERE campaign_id = ? AND ordinal = ?",
                error,
                id,
                ordinal);
    }

    /** Appends to the campaign's timeline; only under the campaign's row lock. */
    long record(
            UUID id, Instant at, String actor, CampaignEventType type, Integer wave, String reason, JsonNode detail) {
        Long seq = jdbc.queryForObject(
                "UPDATE campaign SET last_event_seq = last_event_seq + 1, updated_at = ?, version = version + 1"
                        + " WHERE id = ? RETURNING last_event_seq",
                Long.class,
                ts(at),
                id);
        jdbc.update(
                """
                INSERT INTO campaign_event (campaign_id, seq, at, actor, type, wave, reason, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)""",
                id,
                seq,
                ts(at),
                actor,
                type.name(),
                wave,
                reason,
                write(detail == null ? JsonNodeFactory.instance.objectNode() : detail));
        return seq;
    }

    List<Event> events(UUID id, long after, int limit) {
        return jdbc.query(
                "SELECT * FROM campaign_event WHERE campaign_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (rs, n) -> new Event(
                        rs.getLong("seq"),
                        instant(rs, "at"),
                        rs.getString("actor"),
                        rs.getString("type"),
                        (Integer) rs.getObject("wave"),
                        rs.getString("reason"),
                        read(rs.getString("detail"))),
                id,
                after,
                limit);
    }

    void supersedeApproval(UUID id, int wave, String actor, Instant now) {
        jdbc.update(
                "UPDATE campaign_approval SET superseded_at = ?"
                        + " WHERE campaign_id = ? AND wave = ? AND actor = ? AND superseded_at IS NULL",
                ts(now),
                id,
                wave,
                actor);
    }

    void insertApproval(UUID id, int wave, String actor, String comment, Instant at, Instant expiresAt) {
        jdbc.update(
                """
                INSERT INTO campaign_approval (id, campaign_id, wave, actor, comment, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
                UUID.randomUUID(),
                id,
                wave,
                actor,
                comment,
                ts(at),
                ts(expiresAt));
    }

    /** The approvals of a wave that count at {@code now}: not superseded, not expired. */
    List<Approval> validApprovals(UUID id, int wave, Instant now) {
        return jdbc.query(
                """
                SELECT actor, comment, created_at, expires_at FROM campaign_approval
                 WHERE campaign_id = ? AND wave = ? AND superseded_at IS NULL
                   AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at""",
                (rs, n) -> new Approval(
                        rs.getString(1), rs.getString(2), instant(rs, "created_at"), instant(rs, "expires_at")),
                id,
                wave,
                ts(now));
    }

    private Campaign campaign(ResultSet rs, int n) throws SQLException {
        try {
            return new Campaign(
                    rs.getObject("id", UUID.class),
                    rs.getString("name"),
                    rs.getObject("plan_id", UUID.class),
                    CampaignState.valueOf(rs.getString("state")),
                    rs.getInt("current_wave"),
                    json.readValue(rs.getString("definition"), CampaignDefinition.class),
                    rs.getString("created_by"),
                    instant(rs, "created_at"),
                    instant(rs, "updated_at"),
                    instant(rs, "finished_at"),
                    rs.getString("stopped_reason"),
                    rs.getLong("version"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("campaign " + rs.getString("id") + " has an unreadable definition", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
