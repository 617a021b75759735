package dev.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ferry.common.Actor;
import dev.ferry.common.FerryException;
import dev.ferry.security.ProblemResponseWriter;
import dev.ferry.security.SecurityConfiguration;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.MockMvcBuilderCustomizer;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.MediaType;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

@WebMvcTest(controllers = ProblemHandlingTest.ProbeController.class)
@Import({
    ProblemHandlingTest.ProbeController.class,
    ProblemHandlingTest.ChunkedTransfer.class,
    SecurityConfiguration.class,
    ProblemResponseWriter.class,
    ProblemHandlingTest.Credentials.class
})
@TestPropertySource(
        properties = {
            "ferry.api.max-body-bytes=512",
            "ferry.security.tokens[0].subject=ana",
            "ferry.security.tokens[0].roles=viewer",
            "ferry.security.tokens[0].sha256=" + ProblemHandlingTest.ANA_SHA256
        })
class ProblemHandlingTest {

    /** SHA-256 of {@link #ANA_TOKEN}, as it would be configured. */
    static final String ANA_SHA256 = "fdb19af2cd8f3f7de8c00cbdd4c4838366cbe4fa2e7ae38ba7f5847e75ad4bb5";

    static final String ANA_TOKEN = "ana-token";

    /** Every request of this test carries ana's token unless it says otherwise. */
    @org.springframework.boot.test.context.TestConfiguration
    static class Credentials {

        @org.springframework.context.annotation.Bean
        MockMvcBuilderCustomizer anaByDefault() {
            return builder -> builder.defaultRequest(get("/").header("Authorization", "Bearer " + ANA_TOKEN));
        }
    }

    private static final String TYPE = "https://ferry.dev/problems/";

    @Autowired
    private MockMvc mvc;

    enum Phase {
        PREPARE,
        CUTOVER
    }

    record Step(String id) {}

    record Thing(@NotBlank String name, @Min(1) Integer count, Phase phase, Duration delay, List<Step> steps) {}

    static final class ProbeRefused extends FerryException {
        ProbeRefused() {
            super("transition-not-allowed", 409, "Transition not allowed", "The job is RUNNING; start is not allowed.");
        }

        @Override
        public Map<String, Object> properties() {
            return Map.of("currentState", "RUNNING", "allowedEvents", List.of("PAUSE", "CANCEL"));
        }
    }

    @RestController
    @RequestMapping("/api/probe")
    static class ProbeController {

        @PostMapping(path = "/things", consumes = MediaType.APPLICATION_JSON_VALUE)
        Map<String, Object> create(@Valid @RequestBody Thing thing, Actor actor) {
            return Map.of("name", thing.name(), "actor", actor.name());
        }

        @PostMapping("/raw")
        Map<String, Object> raw(@RequestBody String body) {
            return Map.of("length", body.length());
        }

        @GetMapping("/things/{id}")
        Map<String, Object> read(@PathVariable UUID id, @RequestParam int limit) {
            return Map.of("id", id, "limit", limit);
        }

        @GetMapping("/sized")
        Map<String, Object> sized(@RequestParam @Min(1) int size) {
            return Map.of("size", size);
        }

        @GetMapping(path = "/csv", produces = "text/csv")
        String csv() {
            return "a,b";
        }

        @GetMapping("/refused")
        void refused() {
            throw new ProbeRefused();
        }

        @GetMapping("/raced")
        void raced() {
            throw new OptimisticLockingFailureException("Row was updated or deleted by another transaction");
        }

        @GetMapping("/raced-in-jpa")
        void racedInJpa() {
            throw new ObjectOptimisticLockingFailureException(Phase.class, UUID.randomUUID());
        }

        /** What a PostgreSQL deadlock (40P01) still met on the engine's last try becomes in Spring. */
        @GetMapping("/deadlocked")
        void deadlocked() {
            throw new CannotAcquireLockException(
                    "could not execute statement",
                    new SQLException("ERROR: deadlock detected\n  Detail: Process 4711 waits for ShareLock", "40P01"));
        }

        @GetMapping("/boom")
        void boom() {
            throw new IllegalStateException("connection to db-prod failed, password hunter2");
        }
    }

    /** Makes MockMvc present a body as chunked (no Content-Length), as a real client may send it. */
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class ChunkedTransfer extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getHeader("X-Test-Chunked") == null) {
                chain.doFilter(request, response);
                return;
            }
            chain.doFilter(
                    new HttpServletRequestWrapper(request) {
                        @Override
                        public int getContentLength() {
                            return -1;
                        }

                        @Override
                        public long getContentLengthLong() {
                            return -1;
                        }
                    },
                    response);
        }
    }

    private static MockHttpServletRequestBuilder postJson(String path, String body) {
        return post(path).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    /** Asserts the shape every problem shares, and that nothing internal leaked. */
    private ResultActions expectProblem(MockHttpServletRequestBuilder request, int status, String slug)
            throws Exception {
        ResultActions result = mvc.perform(request)
                .andExpect(status().is(status))
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.type").value(TYPE + slug))
                .andExpect(jsonPath("$.title").isString())
                .andExpect(jsonPath("$.detail").isString())
                .andExpect(jsonPath("$.status").value(status));
        String body = result.andReturn().getResponse().getContentAsString();
        assertThat(body).doesNotContain("trace", "Exception", "dev.ferry", "java.", "hunter2");
        return result;
    }

    @Test
    void ferryExceptionsKeepTheirTypeTitleDetailAndProperties() throws Exception {
        expectProblem(get("/api/probe/refused"), 409, "transition-not-allowed")
                .andExpect(jsonPath("$.title").value("Transition not allowed"))
                .andExpect(jsonPath("$.detail").value("The job is RUNNING; start is not allowed."))
                .andExpect(jsonPath("$.currentState").value("RUNNING"))
                .andExpect(jsonPath("$.allowedEvents[1]").value("CANCEL"))
                .andExpect(jsonPath("$.instance").value("/api/probe/refused"));
    }

    @Test
    void malformedJsonSaysWhere() throws Exception {
        expectProblem(postJson("/api/probe/things", "{\n  \"name\": \"a\",\n  }"), 400, "malformed-body")
                .andExpect(jsonPath("$.line").value(3))
                .andExpect(jsonPath("$.column").isNumber())
                .andExpect(jsonPath("$.detail", containsString("line 3")));
    }

    @Test
    void truncatedJsonIsMalformed() throws Exception {
        expectProblem(postJson("/api/probe/things", "{\"name\": \"a\""), 400, "malformed-body")
                .andExpect(jsonPath("$.detail", containsString("end-of-input")));
    }

    @Test
    void aMissingBodyIsMalformed() throws Exception {
        expectProblem(postJson("/api/probe/things", ""), 400, "malformed-body");
    }

    @Test
    void unknownFieldsAreNamedWithTheirPath() throws Exception {
        expectProblem(postJson("/api/probe/things", "{\"name\":\"a\",\"colour\":\"red\"}"), 400, "unknown-field")
                .andExpect(jsonPath("$.field").value("colour"))
                .andExpect(jsonPath("$.path").value("$.colour"))
                .andExpect(jsonPath("$.knownFields", hasItem("name")));
        expectProblem(
                        postJson("/api/probe/things", "{\"name\":\"a\",\"steps\":[{\"id\":\"x\"},{\"bogus\":1}]}"),
                        400,
                        "unknown-field")
                .andExpect(jsonPath("$.path").value("$.steps[1].bogus"));
    }

    @Test
    void wrongTypesNameThePathAndTheExpectedType() throws Exception {
        expectProblem(postJson("/api/probe/things", "{\"name\":\"a\",\"count\":\"many\"}"), 400, "invalid-value")
                .andExpect(jsonPath("$.path").value("$.count"))
                .andExpect(jsonPath("$.expected").value("an integer"))
                .andExpect(jsonPath("$.detail").value("$.count must be an integer, got a string."));
        expectProblem(postJson("/api/probe/things", "{\"name\":\"a\",\"phase\":\"LATER\"}"), 400, "invalid-value")
                .andExpect(jsonPath("$.detail").value("$.phase must be one of [PREPARE, CUTOVER], got \"LATER\"."));
        expectProblem(postJson("/api/probe/things", "{\"name\":\"a\",\"delay\":\"soon\"}"), 400, "invalid-value")
                .andExpect(jsonPath("$.expected").value("an ISO-8601 duration such as PT30S"));
        expectProblem(postJson("/api/probe/things", "{\"name\":\"a\",\"steps\":{}}"), 400, "invalid-value")
                .andExpect(jsonPath("$.path").value("$.steps"))
                .andExpect(jsonPath("$.expected").value("an array"));
    }

    @Test
    void beanValidationListsEveryField() throws Exception {
        expectProblem(postJson("/api/probe/things", "{\"name\":\" \",\"count\":0}"), 400, "validation-failed")
                .andExpect(jsonPath("$.errors.length()").value(2))
                .andExpect(jsonPath("$.errors[*].field", hasItem("name")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("count")))
                .andExpect(jsonPath("$.errors[0].message").isString());
    }

    @Test
    void parameterValidationIsAValidationFailure() throws Exception {
        expectProblem(get("/api/probe/sized").param("size", "0"), 400, "validation-failed")
                .andExpect(jsonPath("$.errors[0].field").value("size"));
    }

    @Test
    void missingAndMistypedParametersAreInvalidParameters() throws Exception {
        expectProblem(get("/api/probe/things/" + UUID.randomUUID()), 400, "invalid-parameter")
                .andExpect(jsonPath("$.parameter").value("limit"));
        expectProblem(get("/api/probe/things/not-a-uuid").param("limit", "1"), 400, "invalid-parameter")
                .andExpect(jsonPath("$.parameter").value("id"))
                .andExpect(jsonPath("$.detail").value("The parameter 'id' must be a UUID, got 'not-a-uuid'."));
        expectProblem(get("/api/probe/things/" + UUID.randomUUID()).param("limit", "ten"), 400, "invalid-parameter")
                .andExpect(jsonPath("$.expected").value("an integer"));
    }

    @Test
    void unsupportedMediaTypeIs415() throws Exception {
        expectProblem(
                        post("/api/probe/things")
                                .contentType(MediaType.TEXT_PLAIN)
                                .content("name=a"),
                        415,
                        "unsupported-media-type")
                .andExpect(header().exists("Accept"));
    }

    @Test
    void notAcceptableIs406AndStillAProblem() throws Exception {
        expectProblem(get("/api/probe/csv").accept(MediaType.APPLICATION_JSON), 406, "not-acceptable");
    }

    @Test
    void methodNotAllowedIs405WithAllow() throws Exception {
        expectProblem(delete("/api/probe/csv"), 405, "method-not-allowed")
                .andExpect(header().string("Allow", containsString("GET")));
    }

    @Test
    void unknownPathsAre404() throws Exception {
        expectProblem(get("/api/nowhere"), 404, "not-found")
                .andExpect(jsonPath("$.detail").value("There is nothing at GET /api/nowhere."));
    }

    @Test
    void unexpectedErrorsAreGenericAndCarryAnErrorId() throws Exception {
        expectProblem(get("/api/probe/boom"), 500, "internal-error")
                .andExpect(jsonPath("$.errorId").isString());
    }

    @Test
    void aConcurrentChangeIs409AndSaysToSendAgain() throws Exception {
        for (String path : List.of("/api/probe/raced", "/api/probe/raced-in-jpa", "/api/probe/deadlocked")) {
            expectProblem(get(path), 409, "concurrent-change")
                    .andExpect(jsonPath("$.title").value("Concurrent change"))
                    .andExpect(jsonPath("$.detail").value(containsString("Send it again")))
                    .andExpect(jsonPath("$.detail").value(not(containsString("Row was"))))
                    .andExpect(jsonPath("$.detail").value(not(containsString("deadlock"))));
        }
    }

    @Test
    void problemsAreProblemJsonEvenWhenTheClientAcceptsOnlyJson() throws Exception {
        expectProblem(
                postJson("/api/probe/things", "{\"colour\":1}").accept(MediaType.APPLICATION_JSON),
                400,
                "unknown-field");
    }

    @Test
    void aDeclaredContentLengthOverTheLimitIs413BeforeReading() throws Exception {
        expectProblem(postJson("/api/probe/raw", "x".repeat(513)), 413, "payload-too-large")
                .andExpect(jsonPath("$.detail").value("The request body has 513 bytes; the limit is 512 bytes."));
    }

    @Test
    void aChunkedBodyOverTheLimitIs413ThroughJackson() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(600) + "\"}";
        expectProblem(postJson("/api/probe/things", big).header("X-Test-Chunked", "yes"), 413, "payload-too-large");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413ThroughOtherReaders() throws Exception {
        expectProblem(
                postJson("/api/probe/raw", "x".repeat(600)).header("X-Test-Chunked", "yes"), 413, "payload-too-large");
    }

    @Test
    void bodiesWithinTheLimitPass() throws Exception {
        MvcResult result = mvc.perform(
                        postJson("/api/probe/raw", "x".repeat(512)).header("X-Test-Chunked", "yes"))
                .andExpect(status().isOk())
                .andReturn();
        assertThat(result.getResponse().getContentAsString()).isEqualTo("{\"length\":512}");
        mvc.perform(postJson(
                        "/api/probe/things", "{\"name\":\"a\",\"count\":2,\"phase\":\"CUTOVER\",\"delay\":\"PT5S\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.actor").value("ana"));
    }
}
