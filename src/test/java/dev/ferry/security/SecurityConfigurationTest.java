package dev.ferry.security;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ferry.common.Actor;
import dev.ferry.support.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Bearer authentication and the role rules, on a slice with a stand-in controller. */
@WebMvcTest(controllers = SecurityConfigurationTest.WhoAmIController.class)
@Import({SecurityConfigurationTest.WhoAmIController.class, SecurityConfiguration.class, ProblemResponseWriter.class})
class SecurityConfigurationTest {

    private static final String TYPE = "https://ferry.dev/problems/";

    @Autowired
    private MockMvc mvc;

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry registry) {
        for (String setting : TestTokens.settings()) {
            int equals = setting.indexOf('=');
            registry.add(setting.substring(0, equals), () -> setting.substring(equals + 1));
        }
    }

    @RestController
    @RequestMapping("/api/v1")
    static class WhoAmIController {

        @GetMapping("/whoami")
        Map<String, Object> read(Actor actor) {
            return Map.of("name", actor.name(), "roles", actor.roles());
        }

        @PostMapping("/jobs")
        Map<String, Object> create(Actor actor) {
            return Map.of("name", actor.name(), "roles", actor.roles());
        }

        @PostMapping("/jobs/{id}/start")
        @PreAuthorize("hasRole('approver')")
        Map<String, Object> approverOnly(Actor actor) {
            return Map.of("name", actor.name());
        }

        @PostMapping("/jobs/{id}/cancel")
        void denied() {
            throw new AccessDeniedException("rule 17 of the secret policy");
        }
    }

    private static MockHttpServletRequestBuilder bearer(MockHttpServletRequestBuilder request, String token) {
        return request.header("Authorization", "Bearer " + token);
    }

    private static String jwt(String user, String... roles) {
        return TestTokens.jwt(user, List.of(roles));
    }

    @Test
    void noCredentialsIsA401ProblemWithAChallenge() throws Exception {
        for (MockHttpServletRequestBuilder request : List.of(post("/api/v1/jobs"), get("/api/v1/whoami"))) {
            mvc.perform(request)
                    .andExpect(status().isUnauthorized())
                    .andExpect(header().string("WWW-Authenticate", startsWith("Bearer")))
                    .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                    .andExpect(jsonPath("$.type").value(TYPE + "unauthenticated"))
                    .andExpect(jsonPath("$.detail", containsString("Authorization: Bearer")));
        }
    }

    @Test
    void aJwtGivesTheSubjectAndRolesToTheController() throws Exception {
        mvc.perform(bearer(post("/api/v1/jobs"), jwt("ana@example.com", "operator", "dba", "not a role")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("ana@example.com"))
                .andExpect(jsonPath("$.roles", containsInAnyOrder("operator", "dba")));
    }

    @Test
    void aStaticTokenGivesItsSubjectAndRoles() throws Exception {
        mvc.perform(bearer(post("/api/v1/jobs"), TestTokens.STATIC_OPERATOR))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("static-operator"))
                .andExpect(jsonPath("$.roles", containsInAnyOrder("operator")));
    }

    @Test
    void refusedTokensAreA401InvalidTokenThatSaysNoMore() throws Exception {
        for (String token : List.of(
                "no-such-token",
                TestTokens.STATIC_EXPIRED,
                TestTokens.expiredJwt("ana", List.of("operator")),
                TestTokens.foreignJwt("ana", List.of("operator")),
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbmEiLCJyb2xlcyI6WyJvcGVyYXRvciJdfQ.")) {
            mvc.perform(bearer(get("/api/v1/whoami"), token))
                    .andExpect(status().isUnauthorized())
                    .andExpect(header().string("WWW-Authenticate", containsString("invalid_token")))
                    .andExpect(jsonPath("$.type").value(TYPE + "invalid-token"))
                    .andExpect(content().string(not(containsString("Exception"))));
        }
        mvc.perform(get("/api/v1/whoami").header("Authorization", "Bearer two words"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value(TYPE + "invalid-token"));
    }

    @Test
    void everyHumanRoleReadsButTheAlerterDoesNot() throws Exception {
        for (String role : List.of("viewer", "operator", "approver", "admin")) {
            mvc.perform(bearer(get("/api/v1/whoami"), jwt("ana", role))).andExpect(status().isOk());
            mvc.perform(bearer(head("/api/v1/whoami"), jwt("ana", role))).andExpect(status().isOk());
        }
        mvc.perform(bearer(get("/api/v1/whoami"), jwt("alertmanager", "alerter")))
                .andExpect(status().isForbidden());
        mvc.perform(bearer(get("/api/v1/whoami"), TestTokens.STATIC_VIEWER)).andExpect(status().isOk());
    }

    @Test
    void aViewerCannotCreateAJobAndIsToldWhy() throws Exception {
        mvc.perform(bearer(post("/api/v1/jobs"), jwt("dashboard", "viewer")))
                .andExpect(status().isForbidden())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.type").value(TYPE + "forbidden"))
                .andExpect(jsonPath("$.detail", containsString("dashboard")));
    }

    @Test
    void rolesBecomeAuthoritiesForMethodSecurity() throws Exception {
        mvc.perform(bearer(post("/api/v1/jobs/1/start"), jwt("ana", "operator", "approver")))
                .andExpect(status().isOk());
        mvc.perform(bearer(post("/api/v1/jobs/1/start"), jwt("bob", "operator")))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(TYPE + "forbidden"));
    }

    @Test
    void accessDeniedIsA403ProblemThatDoesNotEchoTheReason() throws Exception {
        mvc.perform(bearer(post("/api/v1/jobs/1/cancel"), jwt("ana", "operator")))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(TYPE + "forbidden"))
                .andExpect(content().string(not(containsString("secret"))));
    }

    @Test
    void probesAreOpenMetricsNeedAViewerAndOtherPathsAreClosed() throws Exception {
        // No actuator in this slice: a 404 (not 401) shows the request got past security.
        for (String open : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/info"}) {
            mvc.perform(get(open)).andExpect(status().isNotFound());
        }
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
        mvc.perform(bearer(get("/actuator/prometheus"), jwt("prometheus", "viewer")))
                .andExpect(status().isNotFound());
        mvc.perform(get("/actuator/env")).andExpect(status().isUnauthorized());
        mvc.perform(bearer(get("/actuator/env"), jwt("ana", "admin"))).andExpect(status().isForbidden());
        mvc.perform(bearer(post("/api/v1/anything"), jwt("ana", "viewer"))).andExpect(status().isNotFound());
    }

    @Test
    void snsDeliveriesPassTheHttpLayerWithoutAToken() throws Exception {
        // Authenticated by the message signature instead; here no controller answers, hence 404.
        mvc.perform(post("/api/v1/alerts/sns")).andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/alerts/alertmanager")).andExpect(status().isUnauthorized());
    }
}
