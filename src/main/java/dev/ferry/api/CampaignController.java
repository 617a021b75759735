package dev.ferry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.campaign.CampaignApprovals;
import dev.ferry.campaign.CampaignManagement;
import dev.ferry.campaign.CampaignQueries;
import dev.ferry.campaign.CampaignRollbacks;
import dev.ferry.campaign.CampaignState;
import dev.ferry.campaign.CampaignStreams;
import dev.ferry.campaign.CampaignView;
import dev.ferry.campaign.NewCampaign;
import dev.ferry.common.Actor;
import dev.ferry.plan.Phase;
import dev.ferry.plan.UnknownPhaseException;
import dev.ferry.stream.InvalidStreamPositionException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Campaigns: a plan over a fleet of targets in waves; create, read, timeline, commands, fleet approvals. */
@RestController
@Validated
@RequestMapping(path = "/api/v1/campaigns", produces = "application/json")
class CampaignController {

    private final CampaignManagement management;
    private final CampaignApprovals approvals;
    private final CampaignQueries queries;
    private final CampaignStreams streams;
    private final ObjectMapper json;

    CampaignController(
            CampaignManagement management,
            CampaignApprovals approvals,
            CampaignQueries queries,
            CampaignStreams streams,
            ObjectMapper json) {
        this.streams = streams;
        this.management = management;
        this.approvals = approvals;
        this.queries = queries;
        this.json = json;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<CampaignView> create(
            @Valid @RequestBody NewCampaign body,
            @RequestHeader(name = "Idempotency-Key", required = false) @Size(min = 1, max = 200) String idempotencyKey,
            Actor actor) {
        CampaignManagement.Created created = management.create(body, actor, idempotencyKey);
        CampaignView view = queries.view(created.id());
        return created.created()
                ? ResponseEntity.created(URI.create("/api/v1/campaigns/" + created.id()))
                        .body(view)
                : ResponseEntity.ok(view);
    }

    /** Newest first. */
    @GetMapping
    ResponseEntity<Page> list(
            @RequestParam(required = false) CampaignState state,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            WebRequest request) {
        Page page = new Page(queries.list(state, limit));
        String etag = etag(page);
        return request.checkNotModified(etag)
                ? null
                : ResponseEntity.ok().eTag(etag).body(page);
    }

    /** Waves with their jobs, counts per state, what blocks the next wave; 304 when unchanged. */
    @GetMapping("/{id}")
    ResponseEntity<CampaignView> get(@PathVariable UUID id, WebRequest request) {
        CampaignView view = queries.view(id);
        String etag = etag(view);
        return request.checkNotModified(etag)
                ? null
                : ResponseEntity.ok().eTag(etag).body(view);
    }

    @GetMapping("/{id}/events")
    EventPage events(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        List<CampaignView.Event> events = queries.events(id, after, limit);
        return new EventPage(
                events, events.isEmpty() ? after : events.get(events.size() - 1).seq());
    }

    /** The campaign's timeline as it grows (SSE); {@code Last-Event-ID} or {@code after} is the last seq seen. */
    @GetMapping(path = "/{id}/events/stream", produces = "text/event-stream")
    SseEmitter stream(
            @PathVariable UUID id,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(defaultValue = "0") @Min(0) long after,
            Actor actor) {
        long from = InvalidStreamPositionException.resumeAfter(lastEventId, after, "this campaign");
        return streams.open(actor.name(), id, from);
    }

    @PostMapping("/{id}/{command:pause|resume|cancel}")
    CampaignView command(
            @PathVariable UUID id,
            @PathVariable String command,
            @Valid @RequestBody(required = false) JobRequests.Command body,
            Actor actor) {
        String reason = body == null ? null : body.reason();
        switch (command) {
            case "pause" -> management.pause(id, actor, reason);
            case "resume" -> management.resume(id, actor, reason);
            default -> management.cancel(id, actor, reason);
        }
        return queries.view(id);
    }

    /** Rolls back every job that still can be, newest wave first; the report names those past their point of no return. */
    @PostMapping("/{id}/rollback")
    RollbackAnswer rollback(
            @PathVariable UUID id, @Valid @RequestBody(required = false) JobRequests.Command body, Actor actor) {
        CampaignRollbacks.Report report = management.rollback(id, actor, body == null ? null : body.reason());
        return new RollbackAnswer(report, queries.view(id));
    }

    /** Approves the wave the campaign waits for (the rules of a phase approval, against the campaign's creator). */
    @PostMapping("/{id}/waves/{wave}/approve")
    WaveApprovalAnswer approveWave(
            @PathVariable UUID id,
            @PathVariable @Min(1) @Max(1000) int wave,
            @Valid @RequestBody(required = false) JobRequests.Decision body,
            Actor actor) {
        CampaignApprovals.WaveApprovalOutcome outcome =
                approvals.approveWave(id, wave, actor, body == null ? null : body.comment());
        return new WaveApprovalAnswer(outcome, queries.view(id));
    }

    /** Approves {@code phase} for every job of the wave waiting at it: each job's own approval, four-eyes included. */
    @PostMapping("/{id}/waves/{wave}/phases/{phase}/approve")
    CampaignApprovals.FleetOutcome approvePhase(
            @PathVariable UUID id,
            @PathVariable @Min(1) @Max(1000) int wave,
            @PathVariable String phase,
            @Valid @RequestBody(required = false) JobRequests.Decision body,
            Actor actor) {
        Phase parsed = Phase.parse(phase).orElseThrow(() -> new UnknownPhaseException(phase));
        return approvals.approvePhase(id, wave, parsed, actor, body == null ? null : body.comment());
    }

    /** A strong validator: the hash of exactly what would be sent. */
    private String etag(Object view) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(view));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute ETag", e);
        }
    }

    record Page(List<CampaignView.Summary> items) {}

    record EventPage(List<CampaignView.Event> items, long lastSeq) {}

    record RollbackAnswer(CampaignRollbacks.Report report, CampaignView campaign) {}

    record WaveApprovalAnswer(CampaignApprovals.WaveApprovalOutcome approval, CampaignView campaign) {}
}
