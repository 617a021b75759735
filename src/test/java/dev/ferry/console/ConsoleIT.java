package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.HeadlessBrowser;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestTokens;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator console: served without credentials under a strict CSP, and used in a real browser
 * ({@code src/test/console/console.e2e.mjs}) to create, approve and roll back a job, watching each
 * change arrive live. Screenshots: {@code target/console-screenshots/}.
 */
class ConsoleIT extends FerryIT {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

    /** Every parameter type the form renders, an approval before CUTOVER and another before CLEANUP. */
    static final String PLAN =
            """
            name: %s
            description: Console rehearsal with local actions only
            parameters:
              - {name: target, type: string, required: true, description: Where traffic goes after the cutover}
              - {name: rows, type: integer, default: 1000, description: Rows to copy}
              - {name: dryRun, type: boolean, default: false, description: Pretend harder}
              - {name: settle, type: duration, default: PT1S, description: OBSERVE settling time}
              - {name: tags, type: map, default: {team: ops}, description: Labels for the change}
              - {name: apiKey, type: string, secret: true, description: Never shown again}
            phases:
              freeze:
                steps:
                  - id: stop-writers
                    action: noop
                    with: {message: writers stopped, output: {previousDesiredCount: 2}}
                    compensate: {action: noop, with: {message: "writers back to ${steps.stop-writers.output.previousDesiredCount}"}}
              copy:
                steps:
                  - id: copy-rows
                    action: noop
                    with: {message: "copied ${params.rows} rows to ${params.target}"}
                    compensate: {action: noop, with: {message: copy discarded}}
              cutover:
                approval: {required: 1, roles: [approver]}
                steps:
                  - id: switch
                    action: noop
                    with: {message: "traffic to ${params.target}"}
                    compensate: {action: noop, with: {message: traffic back}}
              observe:
                steps:
                  - {id: settle, action: wait, with: {duration: "${params.settle}"}}
              cleanup:
                approval: {required: 1}
                steps:
                  - {id: delete-old, action: noop, irreversible: true, with: {message: old system deleted}}
            """;

    @Test
    void theConsoleLoadsWithoutCredentialsUnderAStrictContentSecurityPolicy() {
        Api anonymous = api().anonymous();
        Api.Response page = anonymous.get("/console/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<main id=\"main\"").doesNotContain("<script>");
        assertThat(page.header("Content-Security-Policy"))
                .contains("default-src 'self'")
                .contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(anonymous.get("/console/console.js").header("Content-Type")).contains("javascript");
        assertThat(anonymous.get("/console").status()).isEqualTo(302);
        // The page holds no data: the API behind it still wants a token.
        assertThat(anonymous.get("/api/v1/jobs").status()).isEqualTo(401);
        assertThat(anonymous.post("/console/index.html", "{}").status()).isIn(401, 403);
    }

    @Test
    void anOperatorCreatesAJobAnApproverApprovesAndTheOperatorRollsItBackLiveInABrowser() throws Exception {
        HeadlessBrowser.ensureInstalled();
        String plan = Jobs.registerPlan(api(), "console", PLAN);
        HeadlessBrowser.Result run = HeadlessBrowser.node(
                Path.of("src/test/console/console.e2e.mjs"),
                Map.of(
                        "FERRY_URL", "http://127.0.0.1:" + port,
                        "FERRY_OPERATOR_TOKEN", TestTokens.jwt("olivia", List.of("operator")),
                        "FERRY_APPROVER_TOKEN", TestTokens.jwt("arthur", List.of("approver")),
                        "FERRY_PLAN", plan,
                        "FERRY_SCREENSHOTS", SCREENSHOTS.toString()),
                150);
        System.out.println(run.output());
        assertThat(run.exitCode()).as(run.output()).isZero();

        Matcher job =
                Pattern.compile("^JOB ([0-9a-f-]{36})$", Pattern.MULTILINE).matcher(run.output());
        assertThat(job.find()).as(run.output()).isTrue();
        JsonNode view = Jobs.get(api(), UUID.fromString(job.group(1)));
        assertThat(view.get("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(view.get("createdBy").asText()).isEqualTo("olivia");
        assertThat(view.get("name").asText()).isEqualTo("console <b>rehearsal</b>");
        assertThat(view.get("parameters").get("apiKey").asText()).isEqualTo("******");
        JsonNode decision =
                Jobs.phase(view, "CUTOVER").get("approval").get("decisions").get(0);
        assertThat(decision.get("actor").asText()).isEqualTo("arthur");
        assertThat(decision.get("comment").asText()).isEqualTo("CHG-42 reviewed in the console");
        for (String shot : List.of(
                "01-jobs",
                "02-create-preview",
                "03-awaiting-cutover-approval",
                "04-approved-cleanup-awaiting",
                "05-rollback-confirm",
                "06-rolled-back",
                "07-jobs-after")) {
            assertThat(SCREENSHOTS.resolve(shot + ".png")).isNotEmptyFile();
        }
    }

    /** A campaign of two waves, the second behind an approval; jobs without approvals of their own. */
    static final String CAMPAIGN_PLAN =
            """
            name: %s
            phases:
              copy:
                steps:
                  - {id: copy, action: noop, compensate: {action: noop}}
            """;

    @Test
    void aCampaignGoesThroughAWaveApprovalInABrowser() throws Exception {
        HeadlessBrowser.ensureInstalled();
        String plan = Jobs.registerPlan(api(), "console-campaign", CAMPAIGN_PLAN);
        Api.Response created = api().as("olivia", "operator")
                .post(
                        "/api/v1/campaigns",
                        Map.of(
                                "name",
                                "console campaign",
                                "plan",
                                plan,
                                "targetsCsv",
                                "name,label.ring\ncanary,one\nweb-1,two\nweb-2,two\n",
                                "waves",
                                List.of(
                                        Map.of("name", "canary", "selector", Map.of("ring", "one")),
                                        Map.of(
                                                "name",
                                                "web",
                                                "selector",
                                                Map.of("ring", "two"),
                                                "maxConcurrent",
                                                2,
                                                "approval",
                                                Map.of("required", 1)))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String campaign = created.json().get("id").asText();
        HeadlessBrowser.Result run = HeadlessBrowser.node(
                Path.of("src/test/console/campaign.e2e.mjs"),
                Map.of(
                        "FERRY_URL", "http://127.0.0.1:" + port,
                        "FERRY_OPERATOR_TOKEN", TestTokens.jwt("olivia", List.of("operator")),
                        "FERRY_APPROVER_TOKEN", TestTokens.jwt("arthur", List.of("approver")),
                        "FERRY_CAMPAIGN", campaign,
                        "FERRY_SCREENSHOTS", SCREENSHOTS.toString()),
                120);
        System.out.println(run.output());
        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonNode view = api().get("/api/v1/campaigns/" + campaign).json();
        assertThat(view.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(view.get("waves")
                        .get(1)
                        .get("approval")
                        .get("given")
                        .get(0)
                        .get("actor")
                        .asText())
                .isEqualTo("arthur");
        for (String shot : List.of("campaign-01-awaiting-wave-approval", "campaign-02-succeeded")) {
            assertThat(SCREENSHOTS.resolve(shot + ".png")).isNotEmptyFile();
        }
    }
}
