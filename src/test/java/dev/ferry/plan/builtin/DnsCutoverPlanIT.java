package dev.ferry.plan.builtin;

import static dev.ferry.plan.builtin.Operators.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.LambdaFixtures;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The built-in plan {@code dns-cutover} (ecs-migration-backup-rollback.pt.md) end to end against
 * the emulator: the old stack (RDS, Lambda, API Gateway, a site bucket) is backed up, then a
 * weighted Route53 name moves from "legacy" to "new" in three steps with alarm gates.
 */
class DnsCutoverPlanIT extends FerryIT {

    private static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final String ROLE = "arn:aws:iam::123456789012:role/ferry-plan-lambda";
    private static final String LEGACY = "glpi-legacy.example.net";
    private static final String NEW_TARGET = "glpi-alb-123.us-east-1.elb.amazonaws.com";

    private final RdsClient rds = AwsEmulator.client(RdsClient.builder());
    private final LambdaClient lambda = AwsEmulator.client(LambdaClient.builder());
    private final ApiGatewayClient apiGateway = AwsEmulator.client(ApiGatewayClient.builder());
    private final S3Client s3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));
    private final Route53Client route53 = AwsEmulator.client(Route53Client.builder());
    private Map<String, Object> parameters;
    private String id;
    private String zone;
    private String name;

    @BeforeEach
    void oldStack() throws Exception {
        id = Operators.unique();
        String db = "glpi-db-" + id;
        rds.createDBInstance(r -> r.dbInstanceIdentifier(db)
                .engine("mysql")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .masterUsername("glpi")
                .masterUserPassword("not-a-real-one"));
        String function = "glpi-auth-" + id;
        LambdaFixtures.createRole("ferry-plan-lambda");
        byte[] code = LambdaFixtures.zip();
        lambda.createFunction(r -> r.functionName(function)
                .runtime(Runtime.PYTHON3_12)
                .role(ROLE)
                .handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(code))));
        String restApi = restApi("glpi-api-" + id);
        String site = "glpi-site-" + id;
        s3.createBucket(r -> r.bucket(site));
        for (String key : List.of("index.html", "assets/app.js", "assets/logo.png")) {
            s3.putObject(r -> r.bucket(site).key(key), RequestBody.fromString("content of " + key));
        }
        String backups = "glpi-backups-" + id;
        s3.createBucket(r -> r.bucket(backups));
        String domain = "glpi" + id + ".example.com";
        zone = route53.createHostedZone(r -> r.name(domain).callerReference(domain))
                .hostedZone()
                .id();
        name = "api." + domain;
        // The runbook's prerequisite: the name is already weighted, all of it on "legacy".
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zone)
                .changeBatch(b -> b.changes(c -> c.action(ChangeAction.UPSERT)
                        .resourceRecordSet(ResourceRecordSet.builder()
                                .name(name)
                                .type("CNAME")
                                .ttl(60L)
                                .setIdentifier("legacy")
                                .weight(100L)
                                .resourceRecords(v -> v.value(LEGACY))
                                .build()))));
        parameters = Map.of(
                "dbInstance",
                db,
                "functionName",
                function,
                "restApiId",
                restApi,
                "siteBucket",
                site,
                "backupBucket",
                backups,
                "hostedZoneId",
                zone,
                "recordName",
                name,
                "newTarget",
                NEW_TARGET,
                "alarmNames",
                Operators.calmAlarms("glpi-" + id));
    }

    @Test
    void backsUpTheOldStackThenMovesAllTrafficToTheNewTarget() {
        Api api = api();
        UUID job = Jobs.start(api, "ana", "dns-cutover", with("PT0.2S"));
        JsonNode awaiting = Operators.awaitState(api, job, "AWAITING_APPROVAL", AT_MOST);
        assertThat(weights()).as("the new record waits at weight 0").isEqualTo(Map.of("legacy", 100L, "new", 0L));

        assertThat(Operators.checklist(awaiting))
                .as("the pre-migration checklist, each item by its role")
                .containsEntry("code-committed", "operator-on-duty")
                .containsEntry("rollback-tested", "approver-on-duty")
                .containsEntry("notify-team", "operator-on-duty");
        Operators.approve(api, job, "cutover", "bruno");
        // A week after the switch the old stack is retired: CLEANUP waits, then a person does it.
        JsonNode waiting = Operators.awaitState(api, job, "WAITING", AT_MOST);
        assertThat(waiting.get("currentPhase").asText()).isEqualTo("CLEANUP");
        assertThat(Jobs.step(waiting, "monitor-24h").at("/output/evidence/url").asText())
                .isEqualTo("https://tickets.example.com/MIG-monitor-24h");
        Operators.notBeforeNow(api, job, "cleanup", "the new stack has run a week without incident");
        JsonNode done = Operators.awaitState(api, job, "SUCCEEDED", AT_MOST);
        assertThat(Operators.checklist(done))
                .as("every manual step done")
                .doesNotContainValue(null)
                .containsKeys("during-checks", "post-migration-checks", "retire-old-stack");

        assertThat(weights()).isEqualTo(Map.of("legacy", 0L, "new", 100L));
        assertThat(record("new").resourceRecords().get(0).value()).isEqualTo(NEW_TARGET);
        assertThat(record("legacy").resourceRecords().get(0).value())
                .as("kept for rollback level 1")
                .isEqualTo(LEGACY);
        assertBackups(job, done);
        assertThat(status(awaiting, "new-record")).isEqualTo("SUCCEEDED");
        assertThat(status(done, "gate-100")).isEqualTo("SUCCEEDED");
    }

    @Test
    void rollbackDuringTheFirstSoakPutsAllTrafficBackOnLegacyAndKeepsTheBackups() {
        Api api = api();
        // One soak parameter serves every step, so a long soak holds the job at 10 %.
        UUID job = Jobs.start(api, "ana", "dns-cutover", with("PT1H"));
        Operators.awaitState(api, job, "AWAITING_APPROVAL", AT_MOST);
        Operators.approve(api, job, "cutover", "bruno");
        Operators.awaitStep(api, job, "soak-10", "RUNNING");
        assertThat(weights()).isEqualTo(Map.of("legacy", 90L, "new", 10L));

        Operators.rollback(api, job, "error rate above 5 % on the new stack");
        JsonNode rolledBack = Operators.awaitState(api, job, "ROLLED_BACK", AT_MOST);

        assertThat(weights()).as("the new record is gone, legacy has it all").isEqualTo(Map.of("legacy", 100L));
        assertThat(status(rolledBack, "weights-10")).isEqualTo("COMPENSATED");
        assertThat(status(rolledBack, "new-record")).isEqualTo("COMPENSATED");
        // Rollback levels 2 and 3 of the runbook need the backups: they survive a level-1 rollback.
        assertBackups(job, rolledBack);
    }

    private void assertBackups(UUID job, JsonNode view) {
        String backups = parameters.get("backupBucket").toString();
        String snapshot = Jobs.step(view, "db-snapshot")
                .get("output")
                .get("snapshotIdentifier")
                .asText();
        assertThat(snapshot).startsWith("before-ecs-migration-");
        assertThat(rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(snapshot))
                        .dbSnapshots()
                        .get(0)
                        .status())
                .isEqualTo("available");
        assertThat(keys(backups, "lambda-backup/"))
                .hasSize(1)
                .first()
                .asString()
                .endsWith(".json");
        assertThat(keys(backups, "api-gateway-backup/"))
                .hasSize(1)
                .first()
                .asString()
                .endsWith(".json");
        assertThat(keys(backups, "site-backup/" + job + "/"))
                .containsExactlyInAnyOrder(
                        "site-backup/" + job + "/index.html",
                        "site-backup/" + job + "/assets/app.js",
                        "site-backup/" + job + "/assets/logo.png");
        assertThat(s3.getObjectAsBytes(r -> r.bucket(backups).key("site-backup/" + job + "/index.html"))
                        .asUtf8String())
                .isEqualTo("content of index.html");
    }

    private Map<String, Object> with(String soak) {
        Map<String, Object> with = new HashMap<>(parameters);
        with.put("soak", soak);
        return with;
    }

    private List<String> keys(String bucket, String prefix) {
        return s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private List<ResourceRecordSet> records() {
        return route53.listResourceRecordSets(r -> r.hostedZoneId(zone)).resourceRecordSets().stream()
                .filter(s -> s.name().equals(name + "."))
                .toList();
    }

    private ResourceRecordSet record(String setIdentifier) {
        return records().stream()
                .filter(s -> setIdentifier.equals(s.setIdentifier()))
                .findFirst()
                .orElseThrow();
    }

    private Map<String, Long> weights() {
        return records().stream()
                .collect(Collectors.toMap(ResourceRecordSet::setIdentifier, ResourceRecordSet::weight));
    }

    private String restApi(String apiName) {
        String api = apiGateway.createRestApi(r -> r.name(apiName)).id();
        String root =
                apiGateway.getResources(r -> r.restApiId(api)).items().get(0).id();
        String tickets = apiGateway
                .createResource(r -> r.restApiId(api).parentId(root).pathPart("tickets"))
                .id();
        apiGateway.putMethod(
                r -> r.restApiId(api).resourceId(tickets).httpMethod("GET").authorizationType("NONE"));
        apiGateway.putIntegration(
                r -> r.restApiId(api).resourceId(tickets).httpMethod("GET").type(IntegrationType.MOCK));
        apiGateway.createDeployment(r -> r.restApiId(api).stageName("prod"));
        return api;
    }
}
