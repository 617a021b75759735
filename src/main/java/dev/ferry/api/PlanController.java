package dev.ferry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.Actor;
import dev.ferry.plan.PlanCatalog;
import dev.ferry.plan.PlanNotFoundException;
import dev.ferry.plan.PlanPreview;
import dev.ferry.plan.RegisteredPlan;
import dev.ferry.plan.SourceType;
import dev.ferry.plan.StoredPlan;
import dev.ferry.rehearsal.RehearsalDurations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Plans: register (validate + version), list, read, preview. */
@RestController
@Validated
@RequestMapping(path = "/api/v1/plans", produces = "application/json")
class PlanController {

    private final PlanCatalog catalog;
    private final PlanPreview preview;
    private final ObjectMapper json;
    private final RehearsalDurations rehearsals;

    PlanController(PlanCatalog catalog, PlanPreview preview, ObjectMapper json, RehearsalDurations rehearsals) {
        this.rehearsals = rehearsals;
        this.catalog = catalog;
        this.preview = preview;
        this.json = json;
    }

    /** The document is read as text, so YAML and JSON get the same validation with locations. */
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "application/json"})
    ResponseEntity<PlanView> register(
            @RequestBody byte[] body,
            @RequestHeader("Content-Type") MediaType contentType,
            Actor actor,
            HttpServletRequest request) {
        String source = text(body, contentType, request);
        SourceType type = contentType.getSubtype().contains("json") ? SourceType.JSON : SourceType.YAML;
        RegisteredPlan registered = catalog.register(source, type, actor.name(), false);
        PlanView view = PlanView.of(registered.plan(), json, true);
        if (!registered.created()) {
            return ResponseEntity.ok(view);
        }
        return ResponseEntity.created(URI.create("/api/v1/plans/" + view.name() + "?version=" + view.version()))
                .body(view);
    }

    /**
     * The document as text, decoded strictly: a byte sequence that is not valid in its charset is a
     * 400, never a document silently stored with replacement characters in it.
     */
    private static String text(byte[] body, MediaType contentType, HttpServletRequest request) {
        Charset charset = contentType.getCharset() != null ? contentType.getCharset() : StandardCharsets.UTF_8;
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HttpMessageNotReadableException(
                    "The plan document is not valid " + charset.name() + ".", e, new ServletServerHttpRequest(request));
        }
    }

    @GetMapping
    List<PlanView> list() {
        return catalog.listLatest().stream()
                .map(p -> PlanView.of(p, json, false))
                .toList();
    }

    @GetMapping("/{name}")
    PlanView get(@PathVariable String name, @RequestParam(required = false) @Min(1) Integer version) {
        return PlanView.of(find(name, version), json, true);
    }

    @GetMapping("/{name}/versions")
    List<PlanView> versions(@PathVariable String name) {
        List<StoredPlan> versions = catalog.versions(name);
        if (versions.isEmpty()) {
            throw new PlanNotFoundException(name, null);
        }
        return versions.stream().map(p -> PlanView.of(p, json, false)).toList();
    }

    @PostMapping(path = "/{name}/preview", consumes = "application/json")
    RehearsedPreview preview(@PathVariable String name, @Valid @RequestBody(required = false) PreviewRequest body) {
        StoredPlan plan = find(name, body == null ? null : body.version());
        return RehearsedPreview.of(
                preview.preview(
                        plan, body == null || body.parameters() == null ? json.createObjectNode() : body.parameters()),
                plan,
                rehearsals.expected(plan.name()));
    }

    private StoredPlan find(String name, Integer version) {
        return catalog.find(name, version).orElseThrow(() -> new PlanNotFoundException(name, version));
    }

    record PreviewRequest(@Min(1) Integer version, JsonNode parameters) {}

    record PlanView(
            String name,
            int version,
            String sha256,
            String description,
            boolean builtIn,
            Instant createdAt,
            String createdBy,
            JsonNode document,
            String source) {

        static PlanView of(StoredPlan plan, ObjectMapper json, boolean withDocument) {
            return new PlanView(
                    plan.name(),
                    plan.version(),
                    plan.sha256(),
                    plan.description(),
                    plan.builtIn(),
                    plan.createdAt(),
                    plan.createdBy(),
                    withDocument ? json.valueToTree(plan.document()) : null,
                    withDocument ? plan.source() : null);
        }
    }
}
