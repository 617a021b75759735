package dev.ferry.aws.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import dev.ferry.aws.AwsTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Seeds an emulator with Fluxion's AWS estate ({@code seeds/aws-devops-guide.es.md}) as far as the
 * migrations touch it. Idempotent: every resource is looked up by its name before it is created,
 * and nothing that exists is changed, so seeding again after a job has disabled the ETL rules or
 * scaled the backend to 0 leaves the job's changes alone.
 *
 * <p>Refuses to run without an endpoint override: it must never create anything in a real account.
 */
public class FluxionEstate {

    private static final Logger log = LoggerFactory.getLogger(FluxionEstate.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsClients clients;
    private final AwsProperties properties;

    public FluxionEstate(AwsClients clients, AwsProperties properties) {
        this.clients = clients;
        this.properties = properties;
    }

    /** Creates whatever is missing and returns the ids of everything. */
    public SandboxEstate seed() {
        if (properties.effectiveEndpoint() == null) {
            throw new IllegalStateException("Ferry sandbox: no AWS endpoint override (ferry.aws.endpoint); "
                    + "refusing to seed what would be a real AWS account");
        }
        Instant start = Instant.now();
        String region = properties.region();
        AwsTarget target = new AwsTarget(region, null);

        NetworkSeed.Ids network = new NetworkSeed(clients.client("ec2", Ec2Client::builder, target)).seed();
        String kmsKeyArn = new EncryptionKeySeed(clients.client("kms", KmsClient::builder, target)).seed();
        FileSystemSeed.Ids files = new FileSystemSeed(clients.client("efs", EfsClient::builder, target))
                .seed(network.subnetIds(), network.securityGroupId());
        ContainerSeed.Ids ecs = new ContainerSeed(clients.client("ecs", EcsClient::builder, target), region)
                .seed(files.fileSystemId(), network.subnetIds(), network.securityGroupId());
        String databaseHost = new DatabaseSeed(clients.client("rds", RdsClient::builder, target))
                .seed(network.subnetIds(), network.securityGroupId());
        List<String> rules = new ScheduleSeed(clients.client("eventbridge", EventBridgeClient::builder, target)).seed();
        String zoneId = new DnsSeed(clients.client("route53", Route53Client::builder, target)).seed();
        new ConfigurationSeed(
                        clients.client("ssm", SsmClient::builder, target),
                        clients.client("secretsmanager", SecretsManagerClient::builder, target))
                .seed(databaseHost);
        String bucket = new BucketSeed(clients.s3(target), region).seed();

        SandboxEstate estate = new SandboxEstate(
                region,
                network.vpcId(),
                network.subnetIds(),
                network.securityGroupId(),
                files.fileSystemId(),
                files.mountTargetIds(),
                kmsKeyArn,
                ecs.cluster(),
                ecs.service(),
                ecs.taskDefinitionArn(),
                databaseHost,
                zoneId,
                bucket);
        logSummary(estate, rules, Duration.between(start, Instant.now()));
        return estate;
    }

    private void logSummary(SandboxEstate estate, List<String> rules, Duration took) {
        log.info(
                "Fluxion sandbox estate ready in {} ms at {} ({}): VPC {} subnets {} security group {}; "
                        + "EFS {} (UNENCRYPTED, mount targets {}); KMS {} = {}; ECS {}/{} on {}; RDS {} + {} at {}; "
                        + "rules {}; hosted zone {} ({}); bucket {}",
                took.toMillis(),
                properties.effectiveEndpoint(),
                estate.region(),
                estate.vpcId(),
                estate.subnetIds(),
                estate.securityGroupId(),
                estate.fileSystemId(),
                estate.mountTargetIds(),
                EncryptionKeySeed.ALIAS,
                estate.kmsKeyArn(),
                estate.cluster(),
                estate.service(),
                estate.taskDefinitionArn(),
                DatabaseSeed.PRIMARY,
                DatabaseSeed.REPLICA,
                estate.databaseEndpoint(),
                rules,
                DnsSeed.ZONE,
                estate.hostedZoneId(),
                estate.backupBucket());
        try {
            log.info(
                    "Parameters for an efs-encryption job: {}",
                    JSON.writeValueAsString(estate.efsEncryptionParameters()));
        } catch (JsonProcessingException e) {
            log.info("Parameters for an efs-encryption job: {}", estate.efsEncryptionParameters());
        }
    }
}
