package dev.ferry.api;

import dev.ferry.audit.AuditChain;
import dev.ferry.audit.AuditSummary;
import dev.ferry.audit.JobAudit;
import dev.ferry.job.JobNotFoundException;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * For auditors: a job's hash-chained timeline with its verification, and a verification of every
 * job's chain. Both only read; a chain that does not verify is a {@code 200} that says so.
 */
@RestController
class AuditController {

    private final AuditChain chains;

    AuditController(AuditChain chains) {
        this.chains = chains;
    }

    @GetMapping(path = "/api/v1/jobs/{id}/audit", produces = "application/json")
    JobAudit job(@PathVariable UUID id) {
        return chains.export(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    @GetMapping(path = "/api/v1/audit/verify", produces = "application/json")
    AuditSummary verify() {
        return chains.verifyAll();
    }
}
