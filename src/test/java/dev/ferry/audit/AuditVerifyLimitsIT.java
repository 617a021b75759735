package dev.ferry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.EventTampering;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue #17 item 6 through HTTP: {@code GET /audit/verify} does not read every chain on every
 * call (heads that did not move are reused, for a bounded time), an admin can still ask for every
 * chain to be read again, and one caller cannot ask for verifications faster than its limit.
 */
class AuditVerifyLimitsIT extends FerryIT {

    /** ferry.audit.verify.calls, left at its default. */
    private static final int CALLS = 30;

    private static final String PLAN =
            """
            name: %s
            phases:
              prepare:
                steps:
                  - {id: one, action: noop}
            """;

    @Test
    void oneCallerIsRateLimitedWithRetryAfterWhileOthersAreServed() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api hammer = api().as("verify-hammer-" + suffix, "viewer");
        double refusedBefore = counter();
        int served = 0;
        Api.Response response;
        do {
            response = hammer.get("/api/v1/audit/verify");
            if (response.status() == 200) {
                served++;
            }
        } while (response.status() == 200 && served <= 10 * CALLS);
        assertThat(served).as("calls served before the refusal").isBetween(CALLS, 10 * CALLS);
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).endsWith("/rate-limited");
        assertThat(response.json().get("detail").asText()).contains("verify-hammer-" + suffix, "ferry.audit.verify");
        assertThat(Integer.parseInt(response.header("Retry-After"))).isPositive();
        assertThat(counter()).isGreaterThanOrEqualTo(refusedBefore + 1);

        assertThat(api().as("verify-other-" + suffix, "viewer")
                        .get("/api/v1/audit/verify")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void headsThatDidNotMoveAreReusedAndFreshReadsEveryChainAgainForAdminsOnly() throws SQLException {
        Api api = api();
        UUID id = Jobs.create(api, "alice", Jobs.registerPlan(api, "verify-cache", PLAN), Map.of());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Api auditor = api.as("verify-auditor-" + suffix, "viewer");
        Api admin = api.as("verify-admin-" + suffix, "admin");

        JsonNode first = verify(auditor, "");
        assertThat(invalidSeq(first, id)).isNull();
        JsonNode second = verify(auditor, "");
        assertThat(second.get("jobsReused").asLong()).as(second.toString()).isPositive();
        assertThat(second.get("reusedSince").asText()).isNotBlank();

        // A viewer may not make every chain be read again; an admin may.
        Api.Response forbidden = auditor.get("/api/v1/audit/verify?fresh=true");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("type").asText()).endsWith("/forbidden");
        JsonNode fresh = verify(admin, "?fresh=true");
        assertThat(fresh.get("jobsReused").asLong()).isZero();
        assertThat(fresh.has("reusedSince")).isFalse();

        // Tampering that leaves the head where it was: the job's own audit and a fresh verification
        // find it at once; a cached one may report the head it verified until max-age (README).
        EventTampering.asSuperuser(
                id, "UPDATE job_event SET reason = 'nothing to see' WHERE job_id = '" + id + "' AND seq = 1", () -> {
                    JsonNode audit = api.get("/api/v1/jobs/" + id + "/audit").json();
                    assertThat(audit.at("/verification/valid").asBoolean()).isFalse();
                    assertThat(invalidSeq(verify(admin, "?fresh=true"), id)).isEqualTo(1L);
                    // Found invalid, the chain is no longer reused: every later call reads it again.
                    assertThat(invalidSeq(verify(auditor, ""), id)).isEqualTo(1L);
                });
        assertThat(invalidSeq(verify(auditor, ""), id)).isNull();
    }

    private static JsonNode verify(Api api, String query) {
        Api.Response response = api.get("/api/v1/audit/verify" + query);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static Long invalidSeq(JsonNode summary, UUID id) {
        List<Long> found = new ArrayList<>();
        summary.get("invalidJobs").forEach(j -> {
            if (j.get("jobId").asText().equals(id.toString())) {
                found.add(j.get("firstInvalidSeq").asLong());
            }
        });
        return found.isEmpty() ? null : found.get(0);
    }

    private double counter() {
        String scrape = api().get("/actuator/prometheus").body();
        Matcher m = Pattern.compile(
                        "(?m)^ferry_rate_limit_refused_total\\{[^}]*limit=\"audit-verify\"[^}]*\\} ([0-9.eE+-]+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
