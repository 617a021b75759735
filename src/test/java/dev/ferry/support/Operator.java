package dev.ferry.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

/** What an operator does over the HTTP API of a service process: register plans, create and start jobs. */
public final class Operator {

    public static final String USER = "reliability-operator";

    /** One step that calls {@code url} (and waits as long as it takes to answer), then a no-op. */
    public static final String ONE_CALL_PLAN =
            """
            name: %s
            parameters:
              - {name: url, type: string, required: true}
            phases:
              prepare:
                steps:
                  - {id: call, action: http.check, with: {url: "${params.url}", requestTimeout: PT60S}}
                  - {id: after, action: noop}
            """;

    private Operator() {}

    public static Api as(ServiceProcess service) {
        return ServiceProcess.authenticated(service.api(), USER, "operator", "approver", "admin");
    }

    /** Registers {@code yamlWithNamePlaceholder} under a unique name and returns the name. */
    public static String registerPlan(ServiceProcess service, String prefix, String yamlWithNamePlaceholder) {
        String name = Jobs.uniquePlanName(prefix);
        Api.Response response =
                as(service).post("/api/v1/plans", "application/yaml", yamlWithNamePlaceholder.formatted(name));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return name;
    }

    /** Creates a job of {@code plan} and starts it; returns its id. */
    public static UUID startJob(ServiceProcess service, String plan, Map<String, Object> parameters) {
        return startJob(service, plan, parameters, null);
    }

    /** Starts without preflight when {@code skipReason} is given: a test of what the steps do when AWS says no. */
    public static UUID startJob(
            ServiceProcess service, String plan, Map<String, Object> parameters, String skipReason) {
        Api api = as(service);
        Api.Response created =
                api.post("/api/v1/jobs", Map.of("plan", plan, "name", "reliability " + plan, "parameters", parameters));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID id = UUID.fromString(created.json().get("id").asText());
        Api.Response started = api.post(
                "/api/v1/jobs/" + id + "/start",
                skipReason == null ? null : Map.of("skipPreflight", true, "reason", skipReason));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        return id;
    }
}
