package dev.ferry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.audit.AuditChain;
import dev.ferry.audit.AuditHeads;
import dev.ferry.audit.AuditSummary;
import dev.ferry.audit.HeadSigning;
import dev.ferry.audit.JobAudit;
import dev.ferry.audit.VerifyProperties;
import dev.ferry.common.Actor;
import dev.ferry.job.JobNotFoundException;
import dev.ferry.security.Roles;
import dev.ferry.security.SubjectRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For auditors: a job's hash-chained timeline with its verification, a verification of every
 * job's chain, and every job's head signed with Ferry's audit key, to be kept outside Ferry. All
 * only read; a chain that does not verify is a {@code 200} that says so. The verification of every
 * chain reuses what an earlier one found for heads that did not move ({@code ?fresh=true}, for
 * admins, reads every chain again) and is rate limited per caller.
 */
@RestController
@Validated
class AuditController {

    /** {@code ed25519=<base64>}: Ed25519 over the exact bytes of the response body. */
    static final String SIGNATURE = "X-Ferry-Signature";
    /** Which key signed: the first 16 hex digits of the SHA-256 of its public key (DER). */
    static final String SIGNATURE_KEY = "X-Ferry-Signature-Key";

    private final AuditChain chains;
    private final AuditHeads heads;
    private final HeadSigning signing;
    private final ObjectMapper json;
    private final Clock clock;
    private final VerifyProperties properties;
    private final SubjectRateLimiter verifications;

    AuditController(
            AuditChain chains,
            AuditHeads heads,
            HeadSigning signing,
            ObjectMapper json,
            Clock clock,
            VerifyProperties properties,
            MeterRegistry meters) {
        this.chains = chains;
        this.heads = heads;
        this.signing = signing;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.verifications = new SubjectRateLimiter(
                "audit-verify",
                "ferry.audit.verify.calls per ferry.audit.verify.period",
                properties.calls(),
                properties.period(),
                clock,
                meters);
    }

    @GetMapping(path = "/api/v1/jobs/{id}/audit", produces = "application/json")
    JobAudit job(@PathVariable UUID id) {
        return chains.export(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    @GetMapping(path = "/api/v1/audit/verify", produces = "application/json")
    AuditSummary verify(@RequestParam(defaultValue = "false") boolean fresh, Actor actor) {
        if (fresh && !actor.roles().contains(Roles.ADMIN)) {
            throw new AccessDeniedException("verifying every chain afresh (fresh=true) is for admins");
        }
        verifications.acquire(actor.name(), fresh ? properties.freshCost() : 1);
        return chains.verifyAll(fresh);
    }

    /** The signed document: what it covers is part of what is signed. */
    record HeadsDocument(
            String keyId,
            Instant generatedAt,
            Instant since,
            boolean closedOnly,
            List<AuditHeads.Head> heads,
            UUID next) {}

    /**
     * Every job's head (id order, paged with {@code after}), of ended jobs only with {@code
     * closed=true}, of jobs changed since {@code since}; signed ({@link #SIGNATURE}).
     */
    @GetMapping(path = "/api/v1/audit/heads", produces = "application/json")
    ResponseEntity<byte[]> heads(
            @RequestParam(required = false) Instant since,
            @RequestParam(defaultValue = "false") boolean closed,
            @RequestParam(required = false) UUID after,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit)
            throws JsonProcessingException {
        String keyId = signing.keyId();
        AuditHeads.Page page = heads.page(since, closed, after, limit);
        byte[] body = json.writeValueAsBytes(
                new HeadsDocument(keyId, clock.instant(), since, closed, page.heads(), page.next()));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .header(SIGNATURE, "ed25519=" + Base64.getEncoder().encodeToString(signing.sign(body)))
                .header(SIGNATURE_KEY, keyId)
                .body(body);
    }

    /** The public key that verifies {@link #heads}, as PEM (SubjectPublicKeyInfo): openssl reads it as is. */
    @GetMapping(path = "/api/v1/audit/heads/key", produces = "application/x-pem-file")
    ResponseEntity<String> key() {
        return ResponseEntity.ok().header(SIGNATURE_KEY, signing.keyId()).body(signing.publicKeyPem());
    }
}
