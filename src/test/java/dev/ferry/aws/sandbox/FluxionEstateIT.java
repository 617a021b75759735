package dev.ferry.aws.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The Fluxion estate seeded into the test emulator, read back through the SDK: everything once,
 * with the attributes the plans rely on, however often it is seeded.
 */
class FluxionEstateIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    AwsClients clients;

    @Autowired
    AwsProperties properties;

    private final Ec2Client ec2 = AwsEmulator.client(Ec2Client.builder());
    private final EfsClient efs = AwsEmulator.client(EfsClient.builder());
    private final EcsClient ecs = AwsEmulator.client(EcsClient.builder());
    private final RdsClient rds = AwsEmulator.client(RdsClient.builder());
    private final EventBridgeClient events = AwsEmulator.client(EventBridgeClient.builder());
    private final SsmClient ssm = AwsEmulator.client(SsmClient.builder());

    @Test
    void seedingTwiceCreatesEverythingOnceWithTheGuidesAttributes() throws Exception {
        FluxionEstate seeder = new FluxionEstate(clients, properties);
        SandboxEstate first = seeder.seed();
        SandboxEstate second = seeder.seed();

        assertThat(second).isEqualTo(first);
        assertNetwork(first);
        assertFileSystem(first);
        assertContainers(first);
        assertDatabases(first);
        assertSchedules();
        assertDns(first);
        assertConfiguration(first);
        assertKeyAndBucket(first);
    }

    @Test
    void seedingAgainLeavesWhatAJobChangedAlone() {
        FluxionEstate seeder = new FluxionEstate(clients, properties);
        seeder.seed();
        // What a FREEZE phase does to the estate...
        ecs.updateService(
                r -> r.cluster("fluxion-cluster").service("fluxion-backend").desiredCount(0));
        events.disableRule(r -> r.name("fluxion-inventario-sync-30min"));
        ssm.putParameter(r -> r.name("/fluxion/maintenance").value("true").overwrite(true));
        try {
            // ...survives Ferry restarting and seeding again.
            seeder.seed();
            assertThat(service().desiredCount()).isZero();
            assertThat(rule("fluxion-inventario-sync-30min").state()).isEqualTo(RuleState.DISABLED);
            assertThat(parameter("/fluxion/maintenance")).isEqualTo("true");
        } finally {
            ecs.updateService(
                    r -> r.cluster("fluxion-cluster").service("fluxion-backend").desiredCount(2));
            events.enableRule(r -> r.name("fluxion-inventario-sync-30min"));
            ssm.putParameter(r -> r.name("/fluxion/maintenance").value("false").overwrite(true));
        }
    }

    private void assertNetwork(SandboxEstate estate) {
        var vpcs = ec2.describeVpcs(r -> r.filters(tag("fluxion-vpc"))).vpcs();
        assertThat(vpcs).singleElement().satisfies(vpc -> {
            assertThat(vpc.vpcId()).isEqualTo(estate.vpcId());
            assertThat(vpc.cidrBlock()).isEqualTo("10.0.0.0/16");
        });
        var subnets = ec2.describeSubnets(r -> r.filters(vpc(estate.vpcId()))).subnets();
        assertThat(subnets).extracting(s -> s.subnetId()).containsExactlyInAnyOrderElementsOf(estate.subnetIds());
        assertThat(subnets).extracting(s -> s.cidrBlock()).containsExactlyInAnyOrder("10.0.2.0/24", "10.0.3.0/24");
        assertThat(subnets).extracting(s -> s.availabilityZone()).doesNotHaveDuplicates();
        var groups = ec2.describeSecurityGroups(r -> r.filters(
                        vpc(estate.vpcId()),
                        Filter.builder()
                                .name("group-name")
                                .values("fluxion-backend-sg")
                                .build()))
                .securityGroups();
        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo(estate.securityGroupId());
            assertThat(g.ipPermissions()).extracting(p -> p.fromPort()).contains(2049, 8001);
        });
    }

    private void assertFileSystem(SandboxEstate estate) {
        List<FileSystemDescription> found = efs.describeFileSystems().fileSystems().stream()
                .filter(fs -> "fluxion-data".equals(fs.creationToken()))
                .toList();
        assertThat(found).singleElement().satisfies(fs -> {
            assertThat(fs.fileSystemId()).isEqualTo(estate.fileSystemId());
            assertThat(fs.encrypted()).isFalse();
            assertThat(fs.name()).isEqualTo("fluxion-data");
        });
        var mounts = efs.describeMountTargets(r -> r.fileSystemId(estate.fileSystemId()))
                .mountTargets();
        assertThat(mounts).extracting(m -> m.subnetId()).containsExactlyInAnyOrderElementsOf(estate.subnetIds());
        assertThat(mounts)
                .extracting(m -> m.mountTargetId())
                .containsExactlyInAnyOrderElementsOf(estate.mountTargetIds());
    }

    private void assertContainers(SandboxEstate estate) {
        assertThat(ecs.listServices(r -> r.cluster("fluxion-cluster")).serviceArns())
                .hasSize(1);
        assertThat(service().desiredCount()).isEqualTo(2);
        assertThat(service().taskDefinition()).isEqualTo(estate.taskDefinitionArn());
        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("FluxionBackendTask"))
                        .taskDefinitionArns())
                .containsExactly(estate.taskDefinitionArn());
        TaskDefinition task = ecs.describeTaskDefinition(r -> r.taskDefinition("FluxionBackendTask"))
                .taskDefinition();
        assertThat(task.containerDefinitions())
                .extracting(ContainerDefinition::name)
                .containsExactly("backend");
        assertThat(task.volumes()).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("fluxion-data");
            assertThat(v.efsVolumeConfiguration().fileSystemId()).isEqualTo(estate.fileSystemId());
        });
    }

    private void assertDatabases(SandboxEstate estate) {
        Map<String, DBInstance> instances = rds.describeDBInstances().dbInstances().stream()
                .filter(db -> db.dbInstanceIdentifier().startsWith("fluxion-postgres"))
                .collect(Collectors.toMap(DBInstance::dbInstanceIdentifier, db -> db));
        assertThat(instances).containsOnlyKeys("fluxion-postgres-v2", "fluxion-postgres-replica");
        instances.values().forEach(db -> {
            assertThat(db.engine()).isEqualTo("postgres");
            assertThat(db.engineVersion()).isEqualTo("16.3");
            assertThat(db.dbInstanceClass()).isEqualTo("db.t3.medium");
        });
        assertThat(instances.get("fluxion-postgres-replica").readReplicaSourceDBInstanceIdentifier())
                .endsWith("fluxion-postgres-v2");
        assertThat(instances.get("fluxion-postgres-v2").endpoint().address()).isEqualTo(estate.databaseEndpoint());
    }

    private void assertSchedules() {
        Map<String, Rule> rules = events.listRules(r -> r.namePrefix("fluxion-")).rules().stream()
                .collect(Collectors.toMap(Rule::name, rule -> rule));
        assertThat(rules).hasSize(5);
        assertThat(rules.get("fluxion-inventario-sync-30min").scheduleExpression())
                .isEqualTo("cron(0,30 10-23,0-2 * * ? *)");
        assertThat(rules.get("fluxion-abc-recalc-daily").scheduleExpression()).isEqualTo("cron(0 8 * * ? *)");
        assertThat(rules.values().stream().collect(Collectors.toMap(Rule::name, Rule::state)))
                .isEqualTo(Map.of(
                        "fluxion-inventario-sync-30min", RuleState.ENABLED,
                        "fluxion-ventas-sync-30min", RuleState.ENABLED,
                        "fluxion-ventas-recovery-daily", RuleState.ENABLED,
                        "fluxion-abc-recalc-daily", RuleState.ENABLED,
                        "fluxion-productos-cache-refresh", RuleState.DISABLED));
    }

    private void assertDns(SandboxEstate estate) {
        Route53Client route53 = AwsEmulator.client(Route53Client.builder());
        assertThat(route53.listHostedZones().hostedZones())
                .filteredOn(z -> "fluxionia.co.".equals(z.name()))
                .singleElement()
                .satisfies(z -> assertThat(z.id()).endsWith(estate.hostedZoneId()));
        List<String> names =
                route53.listResourceRecordSets(r -> r.hostedZoneId(estate.hostedZoneId())).resourceRecordSets().stream()
                        .filter(s -> "CNAME".equals(s.typeAsString()))
                        .map(ResourceRecordSet::name)
                        .toList();
        assertThat(names).containsExactlyInAnyOrder("api.fluxionia.co.", "admin.fluxionia.co.");
    }

    private void assertConfiguration(SandboxEstate estate) throws Exception {
        assertThat(parameter("/fluxion/backend/traffic-split")).isEqualTo("0");
        assertThat(parameter("/fluxion/maintenance")).isEqualTo("false");
        SecretsManagerClient secrets = AwsEmulator.client(SecretsManagerClient.builder());
        assertThat(secrets.listSecrets().secretList())
                .filteredOn(s -> s.name().startsWith("fluxion/"))
                .extracting(s -> s.name())
                .doesNotHaveDuplicates()
                .contains("fluxion/postgres-credentials", "fluxion/production");
        JsonNode credentials = JSON.readTree(secrets.getSecretValue(r -> r.secretId("fluxion/postgres-credentials"))
                .secretString());
        assertThat(credentials.fieldNames()).toIterable().contains("username", "password", "host", "port", "dbname");
        assertThat(credentials.get("host").asText()).isEqualTo(estate.databaseEndpoint());
        assertThat(credentials.get("port").asInt()).isEqualTo(5432);
    }

    private void assertKeyAndBucket(SandboxEstate estate) {
        KmsClient kms = AwsEmulator.client(KmsClient.builder());
        assertThat(kms.listAliases().aliases())
                .filteredOn(a -> "alias/fluxion-efs".equals(a.aliasName()))
                .singleElement()
                .satisfies(a -> assertThat(estate.kmsKeyArn()).endsWith(a.targetKeyId()));
        S3Client s3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));
        assertThat(s3.listBuckets().buckets())
                .filteredOn(b -> b.name().equals("fluxion-backups-v4-611395766952"))
                .hasSize(1);
        assertThat(estate.backupBucket()).isEqualTo("fluxion-backups-v4-611395766952");
    }

    private Service service() {
        return ecs.describeServices(r -> r.cluster("fluxion-cluster").services("fluxion-backend"))
                .services()
                .get(0);
    }

    private Rule rule(String name) {
        return events.listRules(r -> r.namePrefix(name)).rules().get(0);
    }

    private String parameter(String name) {
        return ssm.getParameter(r -> r.name(name)).parameter().value();
    }

    private static Filter tag(String name) {
        return Filter.builder().name("tag:Name").values(name).build();
    }

    private static Filter vpc(String vpcId) {
        return Filter.builder().name("vpc-id").values(vpcId).build();
    }
}
