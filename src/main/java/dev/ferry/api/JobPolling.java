package dev.ferry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.job.JobNotFoundException;
import dev.ferry.job.JobQueries;
import dev.ferry.lifecycle.JobState;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * What dashboards and wall boards poll: the listing and a job's view, both answering {@code 304}
 * while unchanged. Apart from {@link JobController} because that one is {@code @Validated}: the
 * proxy validates every call, looking up the validator bean and the method's validation groups
 * each time (about a seventh of a {@code 304}'s samples in a profile). Here Spring MVC checks the listing's
 * constraints itself, and the view, which has none, is not checked at all.
 */
@RestController
@Tag(name = "job-controller")
@RequestMapping(path = "/api/v1/jobs", produces = "application/json")
class JobPolling {

    private final JobQueries queries;
    private final JobViews views;
    private final JobViewCache viewCache;
    private final ObjectMapper json;

    JobPolling(JobQueries queries, JobViews views, JobViewCache viewCache, ObjectMapper json) {
        this.queries = queries;
        this.views = views;
        this.viewCache = viewCache;
        this.json = json;
    }

    /** Newest first; {@code view=summary} adds each job's progress for wall boards. Both answer 304 when unchanged. */
    @GetMapping
    ResponseEntity<Object> list(
            @RequestParam(required = false) JobState state,
            @RequestParam(required = false) @Size(max = 100) String plan,
            @RequestParam(required = false) @Size(max = 200) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(defaultValue = "list") @Pattern(regexp = "list|summary") String view,
            WebRequest request) {
        // From the page's job ids and view versions (one statement): a board's 304 builds no page.
        String etag = "\"" + view + "." + queries.pageVersion(state, plan, cursor, limit) + "\"";
        if (request.checkNotModified(etag)) {
            return null;
        }
        Object page = "summary".equals(view)
                ? queries.board(state, plan, cursor, limit)
                : queries.list(state, plan, cursor, limit);
        return ResponseEntity.ok().eTag(etag).body(page);
    }

    /**
     * The ETag comes from the job row's view version (a primary-key read, shared by concurrent
     * requests), so a 304 never builds the view, and an unchanged job's view is served as rendered
     * for the last caller.
     */
    @GetMapping("/{id}")
    @ApiResponse(
            responseCode = "200",
            description = "The job",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = JobView.class)))
    ResponseEntity<byte[]> get(@PathVariable UUID id, WebRequest request) {
        String version = queries.viewVersion(id);
        if (version == null) {
            throw new JobNotFoundException(id);
        }
        String etag = "\"v2." + version + "\"";
        if (request.checkNotModified(etag)) {
            return null;
        }
        byte[] body = viewCache.get(id, etag, () -> render(views.view(id)));
        return ResponseEntity.ok()
                .eTag(etag)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    private byte[] render(JobView view) {
        try {
            return json.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the view of job " + view.id(), e);
        }
    }
}
