package dev.ferry.plan.builtin;

import dev.ferry.support.AwsEmulator;
import dev.ferry.support.LambdaFixtures;
import dev.ferry.support.TestDatabase;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The estates the built-in plans' ITs build in moto (the sandbox seeds only the EFS one), each with
 * fresh names, returning the job parameters that point at it.
 */
final class PlanEstates {

    private static final EcsClient ECS = AwsEmulator.client(EcsClient.builder());
    private static final RdsClient RDS = AwsEmulator.client(RdsClient.builder());
    private static final Ec2Client EC2 = AwsEmulator.client(Ec2Client.builder());
    private static final EventBridgeClient EVENTS = AwsEmulator.client(EventBridgeClient.builder());

    private PlanEstates() {}

    /** An old and a new database holding the same tables and rows, for the plans that compare them. */
    record Twin(TestDatabase.Coordinates source, TestDatabase.Coordinates target, List<String> tables) {

        static Twin seeded(int rows, String... tablePrefixes) {
            Twin twin = new Twin(
                    TestDatabase.newDatabase(),
                    TestDatabase.newDatabase(),
                    Arrays.stream(tablePrefixes)
                            .map(prefix -> prefix + Operators.unique())
                            .toList());
            for (TestDatabase.Coordinates db : List.of(twin.source(), twin.target())) {
                twin.tables().forEach(t -> Operators.rows(db, t, rows));
            }
            return twin;
        }

        Map<String, Object> databaseRelocation(String id, String healthUrl) {
            return PlanEstates.databaseRelocation(id, source, target, tables, healthUrl);
        }

        Map<String, Object> trafficShift(String id) {
            return PlanEstates.trafficShift(id, source, target, tables);
        }
    }

    /** Fluxion's backend on ECS, its PostgreSQL on RDS (copies of it in {@code source}/{@code target}), its ETL rule. */
    static Map<String, Object> databaseRelocation(
            String id,
            TestDatabase.Coordinates source,
            TestDatabase.Coordinates target,
            List<String> tables,
            String healthUrl) {
        String cluster = "fluxion-cluster-" + id;
        ECS.createCluster(r -> r.clusterName(cluster)
                .capacityProviders("FARGATE")
                .defaultCapacityProviderStrategy(
                        s -> s.capacityProvider("FARGATE").weight(1)));
        String backend = ECS.registerTaskDefinition(r -> r.family("fluxion-backend-" + id)
                        .containerDefinitions(
                                c -> c.name("app").image("fluxion/backend:1").memory(512)))
                .taskDefinition()
                .taskDefinitionArn();
        // moto settles a service created empty and then scaled up.
        ECS.createService(r -> r.cluster(cluster)
                .serviceName("fluxion-backend")
                .taskDefinition(backend)
                .desiredCount(0));
        ECS.updateService(r -> r.cluster(cluster).service("fluxion-backend").desiredCount(2));
        ECS.registerTaskDefinition(r -> r.family("FluxionMigrationTools-" + id)
                .requiresCompatibilities(Compatibility.FARGATE)
                .networkMode("awsvpc")
                .cpu("512")
                .memory("1024")
                .containerDefinitions(c -> c.name("tools").image("postgres:16").memory(1024)));
        String oldDb = "fluxion-postgres-v2-" + id;
        RDS.createDBInstance(r -> r.dbInstanceIdentifier(oldDb)
                .engine("postgres")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .masterUsername("fluxion")
                .masterUserPassword("not-a-real-one"));
        String vpc = EC2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = EC2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24"))
                .subnet()
                .subnetId();
        String group = EC2.createSecurityGroup(
                        r -> r.vpcId(vpc).groupName("fluxion-db-" + id).description("database access"))
                .groupId();
        String rule = "fluxion-ventas-sync-30min-" + id;
        EVENTS.putRule(r -> r.name(rule).scheduleExpression("rate(30 minutes)").state(RuleState.ENABLED));
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("cluster", cluster);
        parameters.put("sourceDbInstance", oldDb);
        parameters.put("targetDbInstance", "fluxion-postgres-v3-" + id);
        parameters.put(
                "appSecretId",
                Operators.secret(
                        "fluxion/" + id + "/production",
                        Map.of("host", "fluxion-postgres-v2.abc123.us-east-1.rds.amazonaws.com", "port", "5432")));
        parameters.put("sourceSecretId", Operators.databaseSecret("fluxion/" + id + "/postgres-credentials", source));
        parameters.put(
                "targetSecretId", Operators.databaseSecret("fluxion/" + id + "/postgres-v3-credentials", target));
        parameters.put("tables", tables);
        parameters.put("toolsTaskDefinition", "FluxionMigrationTools-" + id);
        parameters.put("subnetIds", List.of(subnet));
        parameters.put("securityGroupIds", List.of(group));
        parameters.put("salesSyncRule", rule);
        parameters.put("pollInterval", "PT0.2S");
        parameters.put("healthUrl", healthUrl);
        return parameters;
    }

    /** GLPI's old stack: a MySQL on RDS, a Lambda, a REST API, a static site, and a name weighted all on legacy. */
    static Map<String, Object> dnsCutover(String id) throws IOException, InterruptedException {
        LambdaClient lambda = AwsEmulator.client(LambdaClient.builder());
        S3Client s3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));
        Route53Client route53 = AwsEmulator.client(Route53Client.builder());
        String db = "glpi-db-" + id;
        RDS.createDBInstance(r -> r.dbInstanceIdentifier(db)
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
                .role("arn:aws:iam::123456789012:role/ferry-plan-lambda")
                .handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(code))));
        String site = "glpi-site-" + id;
        s3.createBucket(r -> r.bucket(site));
        for (String key : List.of("index.html", "assets/app.js")) {
            s3.putObject(r -> r.bucket(site).key(key), RequestBody.fromString("content of " + key));
        }
        String backups = "glpi-backups-" + id;
        s3.createBucket(r -> r.bucket(backups));
        String domain = "glpi" + id + ".example.com";
        String zone = route53.createHostedZone(r -> r.name(domain).callerReference(domain))
                .hostedZone()
                .id();
        String name = "api." + domain;
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zone)
                .changeBatch(b -> b.changes(c -> c.action(ChangeAction.UPSERT)
                        .resourceRecordSet(ResourceRecordSet.builder()
                                .name(name)
                                .type("CNAME")
                                .ttl(60L)
                                .setIdentifier("legacy")
                                .weight(100L)
                                .resourceRecords(v -> v.value("glpi-legacy.example.net"))
                                .build()))));
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("dbInstance", db);
        parameters.put("functionName", function);
        parameters.put("restApiId", restApi("glpi-api-" + id));
        parameters.put("siteBucket", site);
        parameters.put("backupBucket", backups);
        parameters.put("hostedZoneId", zone);
        parameters.put("recordName", name);
        parameters.put("newTarget", "glpi-alb-123.us-east-1.elb.amazonaws.com");
        parameters.put("alarmNames", Operators.calmAlarms("glpi-" + id));
        parameters.put("soak", "PT0.2S");
        return parameters;
    }

    /** A REST API with one MOCK method, deployed to {@code prod}. */
    private static String restApi(String name) {
        ApiGatewayClient apiGateway = AwsEmulator.client(ApiGatewayClient.builder());
        String api = apiGateway.createRestApi(r -> r.name(name)).id();
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

    /** The HSE split parameter at 0 %, calm alarms, and both systems' databases. */
    static Map<String, Object> trafficShift(
            String id, TestDatabase.Coordinates oldSystem, TestDatabase.Coordinates newSystem, List<String> tables) {
        String split = "/hse/" + id + "/traffic-split-percent";
        AwsEmulator.client(SsmClient.builder())
                .putParameter(r -> r.name(split).value("0").type(ParameterType.STRING));
        return Map.of(
                "splitParameter",
                split,
                "alarmNames",
                Operators.calmAlarms("hse-" + id),
                "soak",
                "PT0.2S",
                "sourceSecretId",
                Operators.databaseSecret("hse/" + id + "/old-db", oldSystem),
                "targetSecretId",
                Operators.databaseSecret("hse/" + id + "/new-db", newSystem),
                "tables",
                tables);
    }
}
