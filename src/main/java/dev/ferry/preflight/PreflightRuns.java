package dev.ferry.preflight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.CollectionType;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Stored preflight runs ({@code preflight_run}): appended, never changed. */
@Component
public class PreflightRuns {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final CollectionType findingList;

    PreflightRuns(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.findingList = json.getTypeFactory().constructCollectionType(List.class, PreflightReport.Finding.class);
    }

    void save(PreflightReport report) {
        try {
            jdbc.update(
                    "INSERT INTO preflight_run (id, job_id, run_at, actor, blocking, findings) "
                            + "VALUES (?, ?, ?, ?, ?, ?::jsonb)",
                    report.id(),
                    report.jobId(),
                    Timestamp.from(report.at()),
                    report.actor(),
                    report.blocking(),
                    json.writeValueAsString(report.findings()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store preflight findings", e);
        }
    }

    /** The job's most recent run, if it ever had one. */
    public Optional<PreflightReport> latest(UUID jobId) {
        return jdbc
                .query(
                        "SELECT id, run_at, actor, findings::text FROM preflight_run WHERE job_id = ? "
                                + "ORDER BY run_at DESC LIMIT 1",
                        (rs, i) -> {
                            try {
                                List<PreflightReport.Finding> findings = json.readValue(rs.getString(4), findingList);
                                PreflightReport of = PreflightReport.of(
                                        jobId, rs.getTimestamp(2).toInstant(), rs.getString(3), findings);
                                return new PreflightReport(
                                        rs.getObject(1, UUID.class),
                                        jobId,
                                        of.at(),
                                        of.actor(),
                                        of.blocking(),
                                        of.counts(),
                                        of.findings());
                            } catch (JsonProcessingException e) {
                                throw new IllegalStateException("unreadable preflight findings of job " + jobId, e);
                            }
                        },
                        jobId)
                .stream()
                .findFirst();
    }
}
