package dev.ferry.job;

import dev.ferry.common.FerryException;
import dev.ferry.lifecycle.JobLifecycle;
import dev.ferry.lifecycle.JobState;
import dev.ferry.plan.Phase;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads of jobs for views and listings; never changes anything. */
@Service
public class JobQueries {

    /**
     * Public for a test that reads its plan: one index scan of the job's primary key for all the
     * jobs of a batch of concurrent requests, no join.
     */
    public static final String VIEW_VERSION =
            """
            SELECT id, view_version, (SELECT count(*) FROM unnest(approval_expiries) e WHERE e <= ?)
              FROM migration_job WHERE id = ANY (?)""";

    /** Batches of view-version reads being read at the same time (each one statement). */
    private static final int PARALLEL_READS = 2;

    private final JobRows jobs;
    private final JobLifecycle lifecycle;
    private final ApprovalQuorum quorum;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CoalescedReads<UUID, String> viewVersions;
    private final CoalescedReads<PageKey, String> pageVersions;

    JobQueries(JobRows jobs, JobLifecycle lifecycle, ApprovalQuorum quorum, JdbcTemplate jdbc, Clock clock) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.quorum = quorum;
        this.jdbc = jdbc;
        this.clock = clock;
        this.viewVersions = new CoalescedReads<>(this::readViewVersions, PARALLEL_READS);
        this.pageVersions = new CoalescedReads<>(this::readPageVersions, PARALLEL_READS);
    }

    /** Runs {@code view} on a consistent snapshot of the job, inside one read-only transaction. */
    @Transactional(readOnly = true)
    public <T> T read(UUID jobId, Function<JobSnapshot, T> view) {
        MigrationJob job = jobs.read(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        var facts = JobChange.facts(job, quorum, clock.instant());
        return view.apply(new JobSnapshot(job, facts, lifecycle.allowedCommands(job.state(), facts)));
    }

    /**
     * Like {@link #read} for a caller that needs only the job: no guard facts and no allowed
     * commands, so no approval count (an approval's preview, read before its lock).
     */
    @Transactional(readOnly = true)
    public <T> T readJob(UUID jobId, Function<MigrationJob, T> view) {
        return view.apply(jobs.read(jobId).orElseThrow(() -> new JobNotFoundException(jobId)));
    }

    /** Jobs newest first, optionally of one state and one plan, {@code limit} at a time. */
    @Transactional(readOnly = true)
    public JobPage list(JobState state, String plan, String cursor, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder(
                """
                SELECT j.id, j.name, p.name AS plan, p.version, j.state, j.current_phase, j.created_by,
                       j.created_at, j.updated_at, j.rehearsal
                  FROM migration_job j JOIN plan p ON p.id = j.plan_id WHERE true""");
        sql.append(filters(state, plan, cursor, args));
        sql.append(order(state)).append(" LIMIT ?");
        args.add(limit + 1);
        List<JobSummary> rows = jdbc.query(
                sql.toString(),
                (rs, i) -> new JobSummary(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getString("plan"),
                        rs.getInt("version"),
                        JobState.valueOf(rs.getString("state")),
                        rs.getString("current_phase") == null ? null : Phase.valueOf(rs.getString("current_phase")),
                        rs.getString("created_by"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("updated_at").toInstant(),
                        rs.getBoolean("rehearsal")),
                args.toArray());
        if (rows.size() <= limit) {
            return new JobPage(rows, null);
        }
        JobSummary last = rows.get(limit - 1);
        return new JobPage(rows.subList(0, limit), new Cursor(last.createdAt(), last.id()).encode());
    }

    /** The listing for wall boards: the same filters and paging, each job with its progress. */
    @Transactional(readOnly = true)
    public JobBoard board(JobState state, String plan, String cursor, int limit) {
        JobPage page = list(state, plan, cursor, limit);
        if (page.items().isEmpty()) {
            return new JobBoard(List.of(), null);
        }
        Map<UUID, JobBoardLine> lines = new HashMap<>();
        jdbc.query(
                """
                SELECT j.id, j.name, p.name AS plan, j.state, j.current_phase, j.last_error, j.wake_at, j.updated_at,
                       j.rehearsal, count(s.id) FILTER (WHERE s.status IN ('SUCCEEDED', 'SKIPPED')) AS done, count(s.id) AS total,
                       (SELECT c.step_id FROM step_execution c WHERE c.job_id = j.id
                           AND c.status IN ('RUNNING', 'FAILED', 'COMPENSATING') ORDER BY c.ordinal DESC LIMIT 1) AS step
                  FROM migration_job j JOIN plan p ON p.id = j.plan_id LEFT JOIN step_execution s ON s.job_id = j.id
                 WHERE j.id = ANY (?)
                 GROUP BY j.id, p.name""",
                rs -> {
                    UUID id = rs.getObject("id", UUID.class);
                    Timestamp wake = rs.getTimestamp("wake_at");
                    lines.put(
                            id,
                            new JobBoardLine(
                                    id,
                                    rs.getString("name"),
                                    rs.getString("plan"),
                                    JobState.valueOf(rs.getString("state")),
                                    rs.getString("current_phase") == null
                                            ? null
                                            : Phase.valueOf(rs.getString("current_phase")),
                                    rs.getString("step"),
                                    rs.getInt("done"),
                                    rs.getInt("total"),
                                    rs.getString("last_error"),
                                    wake == null ? null : wake.toInstant(),
                                    rs.getTimestamp("updated_at").toInstant(),
                                    rs.getBoolean("rehearsal")));
                },
                (Object) page.items().stream().map(JobSummary::id).toArray(UUID[]::new));
        return new JobBoard(
                page.items().stream()
                        .map(j -> lines.get(j.id()))
                        .filter(Objects::nonNull)
                        .toList(),
                page.nextCursor());
    }

    /**
     * A value that changes whenever {@code GET /jobs/{id}} would show something else: the job row's
     * {@code view_version}, which every write that changes the view bumps (V27), and how many of
     * its approvals have expired by now (they stop counting by time alone, with no write). Null for
     * an unknown job.
     *
     * <p>Read from the database on every call, never remembered: a write committed on any replica
     * before this call began is seen, so a {@code 304} built on it is never stale. Concurrent calls
     * share one primary-key read of all their jobs (see {@link CoalescedReads}: a batch's read
     * begins after each of its callers asked), with no transaction around it.
     */
    public String viewVersion(UUID jobId) {
        return viewVersions.get(jobId);
    }

    private Map<UUID, String> readViewVersions(Set<UUID> ids) {
        Map<UUID, String> versions = new HashMap<>();
        jdbc.query(
                VIEW_VERSION,
                rs -> {
                    versions.put(rs.getObject(1, UUID.class), rs.getLong(2) + "." + rs.getLong(3));
                },
                Timestamp.from(clock.instant()),
                ids.toArray(UUID[]::new));
        return versions;
    }

    /**
     * A value that changes whenever a page of {@link #list} or {@link #board} with these filters
     * would: which jobs are on it (and whether one follows) and their {@code view_version}s. One
     * statement over the listing index, so a wall board's {@code 304} builds no page; wall boards
     * asking for the same page at the same time share it (a read that began after each asked, as
     * for {@link #viewVersion}).
     */
    public String pageVersion(JobState state, String plan, String cursor, int limit) {
        if (cursor != null) {
            Cursor.decode(cursor); // a bad cursor fails its own request, not the batch it would join
        }
        return pageVersions.get(new PageKey(state, plan, cursor, limit));
    }

    record PageKey(JobState state, String plan, String cursor, int limit) {}

    /** Every page of the batch in one statement: boards asking for different pages share the round trip. */
    Map<PageKey, String> readPageVersions(Set<PageKey> keys) {
        List<PageKey> pages = List.copyOf(keys);
        List<Object> args = new ArrayList<>();
        StringJoiner sql = new StringJoiner(" UNION ALL ");
        for (int i = 0; i < pages.size(); i++) {
            String page = page(pages.get(i), args);
            sql.add("SELECT " + i + " AS page, count(*) || '.' || "
                    + "coalesce(md5(string_agg(v.id::text || ':' || v.view_version, ',')), '') AS version"
                    + " FROM (" + page + ") v");
        }
        Map<PageKey, String> versions = new HashMap<>();
        jdbc.query(
                sql.toString(),
                rs -> {
                    versions.put(pages.get(rs.getInt("page")), rs.getString("version"));
                },
                args.toArray());
        return versions;
    }

    /** The ids and view versions of a page (and of the row after it), its arguments added to {@code args}. */
    static String page(PageKey key, List<Object> args) {
        String sql = "SELECT j.id, j.view_version FROM migration_job j WHERE true"
                + filters(key.state(), key.plan(), key.cursor(), args)
                + order(key.state())
                + " LIMIT ?";
        args.add(key.limit() + 1);
        return sql;
    }

    /** Newest first; by the state first when filtered by one, so the state's index gives the order. */
    private static String order(JobState state) {
        return state == null
                ? " ORDER BY j.created_at DESC, j.id DESC"
                : " ORDER BY j.state, j.created_at DESC, j.id DESC";
    }

    private static String filters(JobState state, String plan, String cursor, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        if (state != null) {
            // A range, not "=": with "=" PostgreSQL may walk the listing index (created_at, id) and
            // filter by state, expecting each state's jobs spread evenly over time. They are not
            // (finished jobs are old, running ones new): a page of old states read every newer job
            // (10,551 index entries for the SUCCEEDED page among 11,900 jobs). Ordered by the state
            // first (see order()), only migration_job_state_listing gives the order, and the page
            // reads its own rows. For a text column, >= x and <= x is = x.
            sql.append(" AND j.state >= ? AND j.state <= ?");
            args.add(state.name());
            args.add(state.name());
        }
        if (plan != null) {
            sql.append(" AND j.plan_id IN (SELECT p.id FROM plan p WHERE p.name = ?)");
            args.add(plan);
        }
        if (cursor != null) {
            Cursor after = Cursor.decode(cursor);
            sql.append(" AND (j.created_at, j.id) < (?, ?)");
            args.add(Timestamp.from(after.createdAt()));
            args.add(after.id());
        }
        return sql.toString();
    }

    /** Opaque position in the listing: the last row's creation time and id. */
    record Cursor(Instant createdAt, UUID id) {

        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
                return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw new InvalidCursorException();
            }
        }
    }

    /** A cursor that this service did not hand out. */
    public static class InvalidCursorException extends FerryException {

        InvalidCursorException() {
            super(
                    "invalid-cursor",
                    400,
                    "Invalid cursor",
                    "The cursor is not one this service returned; start from the first page");
        }
    }
}
