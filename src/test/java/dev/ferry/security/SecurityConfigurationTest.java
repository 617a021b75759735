package dev.ferry.security;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ferry.common.Actor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@WebMvcTest(controllers = SecurityConfigurationTest.WhoAmIController.class)
@Import({SecurityConfigurationTest.WhoAmIController.class, SecurityConfiguration.class, ProblemResponseWriter.class})
class SecurityConfigurationTest {

    private static final String TYPE = "https://ferry.dev/problems/";

    @Autowired
    private MockMvc mvc;

    @RestController
    @RequestMapping("/api/v1/whoami")
    static class WhoAmIController {

        @GetMapping
        Map<String, Object> read(Actor actor) {
            return Map.of("name", actor.name(), "roles", actor.roles());
        }

        @PostMapping
        Map<String, Object> change(Actor actor) {
            return Map.of("name", actor.name(), "roles", actor.roles());
        }

        @PostMapping("/approve")
        @PreAuthorize("hasRole('approver')")
        Map<String, Object> approve(Actor actor) {
            return Map.of("name", actor.name());
        }

        @PostMapping("/denied")
        void denied() {
            throw new AccessDeniedException("rule 17 of the secret policy");
        }
    }

    @Test
    void aChangeWithoutIdentityIsA401Problem() throws Exception {
        mvc.perform(post("/api/v1/whoami"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.type").value(TYPE + "unauthenticated"))
                .andExpect(jsonPath("$.title").value("Unauthenticated"))
                .andExpect(jsonPath("$.detail", containsString("X-Ferry-User")))
                .andExpect(jsonPath("$.instance").value("/api/v1/whoami"));
    }

    @Test
    void aChangeWithIdentityReachesTheControllerWithTheActorAndRoles() throws Exception {
        mvc.perform(post("/api/v1/whoami").header("X-Ferry-User", "ana@example.com")
                        .header("X-Ferry-Roles", "approver, operator,,"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("ana@example.com"))
                .andExpect(jsonPath("$.roles", containsInAnyOrder("approver", "operator")));
    }

    @Test
    void readsAreOpenAndAnonymousWithoutIdentity() throws Exception {
        mvc.perform(get("/api/v1/whoami"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("anonymous"))
                .andExpect(jsonPath("$.roles").isEmpty());
        mvc.perform(head("/api/v1/whoami")).andExpect(status().isOk());
    }

    @Test
    void readsWithIdentityKnowTheCaller() throws Exception {
        mvc.perform(get("/api/v1/whoami").header("X-Ferry-User", "svc:dashboard"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("svc:dashboard"));
    }

    @Test
    void aMalformedUserHeaderIsA400ProblemEvenOnReads() throws Exception {
        for (String bad : new String[] {"ana smith", "", "x".repeat(129), "ana;drop"}) {
            mvc.perform(get("/api/v1/whoami").header("X-Ferry-User", bad))
                    .andExpect(status().isBadRequest())
                    .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                    .andExpect(jsonPath("$.type").value(TYPE + "invalid-identity"));
        }
    }

    @Test
    void twoUserHeadersAreRefused() throws Exception {
        mvc.perform(post("/api/v1/whoami").header("X-Ferry-User", "ana", "bob"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(TYPE + "invalid-identity"));
    }

    @Test
    void aMalformedRoleIsA400Problem() throws Exception {
        mvc.perform(post("/api/v1/whoami").header("X-Ferry-User", "ana").header("X-Ferry-Roles", "approver,admin role"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(TYPE + "invalid-identity"))
                .andExpect(jsonPath("$.detail", containsString("X-Ferry-Roles")));
    }

    @Test
    void rolesBecomeAuthoritiesForMethodSecurity() throws Exception {
        mvc.perform(post("/api/v1/whoami/approve").header("X-Ferry-User", "ana").header("X-Ferry-Roles", "approver"))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/whoami/approve").header("X-Ferry-User", "bob").header("X-Ferry-Roles", "operator"))
                .andExpect(status().isForbidden())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.type").value(TYPE + "forbidden"))
                .andExpect(jsonPath("$.detail", containsString("bob")));
    }

    @Test
    void accessDeniedIsA403ProblemThatDoesNotEchoTheReason() throws Exception {
        mvc.perform(post("/api/v1/whoami/denied").header("X-Ferry-User", "ana"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(TYPE + "forbidden"))
                .andExpect(content().string(not(containsString("secret"))));
    }

    @Test
    void accessDeniedWithoutIdentityIsA401() throws Exception {
        mvc.perform(post("/api/v1/whoami/approve"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value(TYPE + "unauthenticated"));
    }

    @Test
    void probesAndMetricsAreOpenButOtherPathsNeedIdentity() throws Exception {
        // No actuator in this slice: a 404 (not 401) shows the request got past security.
        for (String open : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/prometheus",
                "/actuator/info"}) {
            mvc.perform(get(open)).andExpect(status().isNotFound());
        }
        mvc.perform(get("/actuator/env")).andExpect(status().isUnauthorized());
        mvc.perform(post("/api/v1/anything")).andExpect(status().isUnauthorized());
    }
}
