package dev.ferry.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The phase previews approvers were shown, by their hash. A decision names its preview by
 * {@code previewSha256}; the document itself is read only by whoever asks for it, so the job view
 * stays small and a preview, never changing under its hash, can be cached for good.
 */
@Component
public class ApprovedPreviews {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ApprovedPreviews(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The preview with that hash that a decision on {@code jobId} was given for, as stored. */
    public Optional<byte[]> find(UUID jobId, String sha256) {
        List<String> found = jdbc.queryForList(
                "SELECT preview::text FROM approval WHERE job_id = ? AND preview_sha256 = ? AND preview IS NOT NULL"
                        + " LIMIT 1",
                String.class,
                jobId,
                sha256);
        return found.stream().findFirst().map(text -> {
            try {
                // Re-serialised compactly: jsonb's text form has spaces after every separator.
                JsonNode node = json.readTree(text);
                return json.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new IllegalStateException("stored preview is not JSON", e);
            }
        });
    }
}
