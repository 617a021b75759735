package dev.ferry.api;

import dev.ferry.common.Actor;
import dev.ferry.job.JobQueries;
import dev.ferry.lifecycle.JobState;
import dev.ferry.stream.EventStreams;
import dev.ferry.stream.InvalidStreamPositionException;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live timelines as Server-Sent Events ({@code event: job-event}, JSON data, heartbeat comments):
 * one job's, resumable by sequence number, and every job's for wall dashboards, resumable by the
 * position sent as each event's id.
 */
@RestController
@Validated
class EventStreamController {

    private final EventStreams streams;
    private final JobQueries queries;

    EventStreamController(EventStreams streams, JobQueries queries) {
        this.streams = streams;
        this.queries = queries;
    }

    @GetMapping(path = "/api/v1/jobs/{id}/events/stream", produces = "text/event-stream")
    SseEmitter job(
            @PathVariable UUID id,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(defaultValue = "0") @Min(0) long after,
            Actor actor) {
        queries.read(id, snapshot -> null); // 404 for an unknown job
        long from = InvalidStreamPositionException.resumeAfter(lastEventId, after, "this job");
        return streams.job(actor.name(), id, from);
    }

    @GetMapping(path = "/api/v1/events/stream", produces = "text/event-stream")
    SseEmitter all(
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(required = false) List<JobState> state,
            @RequestParam(required = false) @Size(max = 50) List<@Size(max = 100) String> plan,
            Actor actor) {
        Set<String> states =
                state == null ? Set.of() : state.stream().map(Enum::name).collect(Collectors.toSet());
        return streams.all(actor.name(), lastEventId, states, plan == null ? Set.of() : Set.copyOf(plan));
    }
}
