package dev.ferry.api;

import dev.ferry.audit.AuditChain;
import dev.ferry.audit.AuditSummary;
import dev.ferry.audit.JobAudit;
import dev.ferry.audit.VerifyProperties;
import dev.ferry.common.Actor;
import dev.ferry.job.JobNotFoundException;
import dev.ferry.security.Roles;
import dev.ferry.security.SubjectRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.UUID;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For auditors: a job's hash-chained timeline with its verification, and a verification of every
 * job's chain. Both only read; a chain that does not verify is a {@code 200} that says so. The
 * verification of every chain reuses what an earlier one found for heads that did not move
 * ({@code ?fresh=true}, for admins, reads every chain again) and is rate limited per caller.
 */
@RestController
class AuditController {

    private final AuditChain chains;
    private final VerifyProperties properties;
    private final SubjectRateLimiter verifications;

    AuditController(AuditChain chains, VerifyProperties properties, Clock clock, MeterRegistry meters) {
        this.chains = chains;
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
}
