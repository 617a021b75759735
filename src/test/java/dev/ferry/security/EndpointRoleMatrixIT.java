package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.TestTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint Spring MVC maps, called with no, invalid and expired credentials and with each
 * role. The expected role of each endpoint is written down here: an endpoint added without an
 * entry fails this test, so none can escape the rules. "Allowed" means the request got past the
 * security rules: neither 401 nor a 403 {@code forbidden} (the dummy ids give 404, the empty bodies
 * 400, an unsigned SNS message its own 403 {@code alert-signature-invalid}); "refused" means 401
 * without a valid token and 403 {@code forbidden} with one that lacks the role.
 */
class EndpointRoleMatrixIT extends FerryIT {

    private static final String PUBLIC = "(public)";
    /** Any authenticated caller; the step itself names the role (checked by the service, not the rules). */
    private static final String ANY_ROLE = "(any role)";

    /** {@code METHOD path} → the role it needs; each human role implies viewer. */
    private static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /api/v1/jobs", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}/events", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}/preview", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}/events/stream", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}/previews/{sha256}", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}/steps/{stepId}/output", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}/steps/{stepId}/error", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}/steps/{stepId}/compensation-output", Roles.VIEWER),
            Map.entry("GET /api/v1/events/stream", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}/audit", Roles.VIEWER),
            Map.entry("GET /api/v1/jobs/{id}/notifications", Roles.VIEWER),
            Map.entry("GET /api/v1/audit/verify", Roles.VIEWER),
            Map.entry("GET /api/v1/audit/heads", Roles.VIEWER),
            Map.entry("GET /api/v1/audit/heads/key", Roles.VIEWER),
            Map.entry("GET /api/v1/lifecycle", Roles.VIEWER),
            Map.entry("GET /api/v1/plans", Roles.VIEWER),
            Map.entry("GET /api/v1/plans/{name}", Roles.VIEWER),
            Map.entry("GET /api/v1/plans/{name}/versions", Roles.VIEWER),
            Map.entry("POST /api/v1/plans/{name}/preview", Roles.VIEWER),
            Map.entry("POST /api/v1/plans", Roles.ADMIN),
            Map.entry("POST /api/v1/jobs", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/start", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/preflight", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/pause", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/resume", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/retry", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/cancel", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/rollback", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/phases/{phase}/not-before", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/steps/{stepId}/skip", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/steps/{stepId}/complete", ANY_ROLE),
            Map.entry("POST /api/v1/jobs/{id}/steps/{stepId}/decline", ANY_ROLE),
            Map.entry("POST /api/v1/jobs/{id}/steps/{stepId}/compensation/retry", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/steps/{stepId}/compensation/done", Roles.OPERATOR),
            Map.entry("POST /api/v1/jobs/{id}/phases/{phase}/approve", Roles.APPROVER),
            Map.entry("POST /api/v1/jobs/{id}/phases/{phase}/reject", Roles.APPROVER),
            Map.entry("GET /api/v1/campaigns", Roles.VIEWER),
            Map.entry("GET /api/v1/campaigns/{id}", Roles.VIEWER),
            Map.entry("GET /api/v1/campaigns/{id}/events", Roles.VIEWER),
            Map.entry("GET /api/v1/campaigns/{id}/events/stream", Roles.VIEWER),
            Map.entry("POST /api/v1/campaigns", Roles.OPERATOR),
            Map.entry("POST /api/v1/campaigns/{id}/pause", Roles.OPERATOR),
            Map.entry("POST /api/v1/campaigns/{id}/resume", Roles.OPERATOR),
            Map.entry("POST /api/v1/campaigns/{id}/cancel", Roles.OPERATOR),
            Map.entry("POST /api/v1/campaigns/{id}/rollback", Roles.OPERATOR),
            Map.entry("POST /api/v1/campaigns/{id}/waves/{wave}/approve", Roles.APPROVER),
            Map.entry("POST /api/v1/campaigns/{id}/waves/{wave}/phases/{phase}/approve", Roles.APPROVER),
            Map.entry("POST /api/v1/alerts/alertmanager", Roles.ALERTER),
            Map.entry("POST /api/v1/alerts/generic", Roles.ALERTER),
            // SNS sends no Authorization header; its deliveries are verified by their signature.
            Map.entry("POST /api/v1/alerts/sns", PUBLIC),
            // The OpenAPI document and its UI describe the API; they hold no data.
            Map.entry("GET /v3/api-docs", PUBLIC),
            Map.entry("GET /v3/api-docs.yaml", PUBLIC),
            Map.entry("GET /v3/api-docs/swagger-config", PUBLIC),
            Map.entry("GET /swagger-ui.html", PUBLIC)));

    /** Served by Actuator, outside Spring MVC's handler mapping. */
    private static final Map<String, String> ACTUATOR = new TreeMap<>(Map.of(
            "GET /actuator/health", PUBLIC,
            "GET /actuator/health/liveness", PUBLIC,
            "GET /actuator/health/readiness", PUBLIC,
            "GET /actuator/prometheus", Roles.VIEWER));

    /** Boot's error page: reached by error dispatches only, which the chain lets through. */
    private static final List<String> INTERNAL = List.of("/error");

    private static final Pattern ALTERNATIVES = Pattern.compile("\\{(\\w+):([\\w|-]+)}");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void everyEndpointHasAnExpectedRole() {
        TreeSet<String> mapped = new TreeSet<>(endpoints());
        assertThat(mapped).as("endpoints without an entry in EXPECTED").isSubsetOf(EXPECTED.keySet());
        assertThat(EXPECTED.keySet())
                .as("entries in EXPECTED without an endpoint")
                .isSubsetOf(mapped);
    }

    @Test
    void everyEndpointWithEveryCredential() {
        Map<String, Api> callers = new LinkedHashMap<>();
        Api base = api().anonymous();
        callers.put("none", base);
        callers.put("garbage", base.bearer("not-a-token"));
        callers.put("jwt-expired", base.bearer(TestTokens.expiredJwt("ana", Roles.ALL)));
        callers.put("jwt-foreign", base.bearer(TestTokens.foreignJwt("ana", Roles.ALL)));
        callers.put("static-expired", base.bearer(TestTokens.STATIC_EXPIRED));
        for (String role : Roles.ALL) {
            callers.put(role, base.as("matrix-" + role, role));
        }
        callers.put("static-viewer", base.bearer(TestTokens.STATIC_VIEWER));
        callers.put("static-operator", base.bearer(TestTokens.STATIC_OPERATOR));

        Map<String, String> all = new TreeMap<>(EXPECTED);
        all.putAll(ACTUATOR);
        List<String> wrong = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%-62s %-9s", "endpoint", "needs"));
        callers.keySet().forEach(name -> table.append(String.format(" %15s", name)));
        table.append('\n');
        for (Map.Entry<String, String> endpoint : all.entrySet()) {
            String needed = endpoint.getValue();
            table.append(String.format("%-62s %-9s", endpoint.getKey(), needed));
            for (Map.Entry<String, Api> caller : callers.entrySet()) {
                Api.Response response = call(caller.getValue(), endpoint.getKey());
                int status = response.status();
                boolean refusedByRules =
                        status == 401 || status == 403 && response.body().contains("/problems/forbidden\"");
                int expected = expectation(caller.getKey(), needed);
                boolean ok = expected == 0 ? !refusedByRules : status == expected && refusedByRules;
                if (!ok) {
                    wrong.add(endpoint.getKey() + " as " + caller.getKey() + ": " + status + ", expected "
                            + (expected == 0 ? "neither 401 nor 403 forbidden" : expected));
                }
                table.append(String.format(" %15s", status + (ok ? "" : "!")));
            }
            table.append('\n');
        }
        System.out.println("Role × endpoint matrix (status per caller; ! = unexpected)\n" + table);
        assertThat(wrong).isEmpty();
    }

    /**
     * 0 for "allowed", else the status that must come back. A token that is presented is checked
     * everywhere, also on open endpoints: a bad one is a 401 there too (RFC 6750), never ignored.
     */
    private static int expectation(String caller, String needed) {
        if ("none".equals(caller)) {
            return PUBLIC.equals(needed) ? 0 : 401;
        }
        if (List.of("garbage", "jwt-expired", "jwt-foreign", "static-expired").contains(caller)) {
            return 401;
        }
        if (PUBLIC.equals(needed)) {
            return 0;
        }
        if (ANY_ROLE.equals(needed)) {
            return 0;
        }
        String role = caller.startsWith("static-") ? caller.substring("static-".length()) : caller;
        boolean reads = Roles.VIEWER.equals(needed) && !Roles.ALERTER.equals(role);
        return role.equals(needed) || reads ? 0 : 403;
    }

    private static Api.Response call(Api api, String endpoint) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1)
                .replace("{id}", "00000000-0000-4000-8000-00000000beef")
                .replace("{phase}", "cutover")
                .replace("{wave}", "1")
                .replace("{stepId}", "no-such-step")
                .replace("{sha256}", "0".repeat(64))
                .replace("{name}", "no-such-plan");
        if (path.equals("/api/v1/events/stream")) {
            // Allowed callers would get an endless stream; a bad position ends it at once, after the rules ran.
            return api.header("Last-Event-ID", "not-a-position").get(path);
        }
        return method.equals("GET") ? api.get(path) : api.post(path, Map.of());
    }

    /** {@code METHOD path} of every mapped handler; a path variable with alternatives gives one per alternative. */
    private List<String> endpoints() {
        List<String> endpoints = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (INTERNAL.contains(pattern)) {
                    continue;
                }
                assertThat(info.getMethodsCondition().getMethods())
                        .as(pattern + " must name its HTTP methods")
                        .isNotEmpty();
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    for (String path : expand(pattern)) {
                        endpoints.add(method.name() + " " + path);
                    }
                }
            }
        }
        return endpoints;
    }

    private static List<String> expand(String pattern) {
        Matcher alternatives = ALTERNATIVES.matcher(pattern);
        if (!alternatives.find()) {
            return List.of(pattern);
        }
        List<String> paths = new ArrayList<>();
        for (String alternative : alternatives.group(2).split("\\|")) {
            paths.addAll(expand(
                    pattern.substring(0, alternatives.start()) + alternative + pattern.substring(alternatives.end())));
        }
        return paths;
    }
}
