package dev.ferry.aws.sandbox;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;

/**
 * RDS PostgreSQL 16.3: primary {@code fluxion-postgres-v2} and read replica
 * {@code fluxion-postgres-replica}, both db.t3.medium, in the private subnets.
 */
final class DatabaseSeed {

    static final String PRIMARY = "fluxion-postgres-v2";
    static final String REPLICA = "fluxion-postgres-replica";
    static final String SUBNET_GROUP = "fluxion-db-subnets";
    static final String ENGINE_VERSION = "16.3";
    static final String INSTANCE_CLASS = "db.t3.medium";
    static final String DATABASE = "fluxion_production";
    static final String USERNAME = "fluxion";
    // An emulator's database never stores data; the same value is written to the credentials secret.
    static final String SANDBOX_PASSWORD = "sandbox-only-password";

    private final RdsClient rds;

    DatabaseSeed(RdsClient rds) {
        this.rds = rds;
    }

    /** The primary's endpoint address, which the credentials secret names as its host. */
    String seed(List<String> subnetIds, String securityGroupId) {
        subnetGroup(subnetIds);
        DBInstance primary = find(PRIMARY).orElseGet(() -> rds.createDBInstance(r -> r.dbInstanceIdentifier(PRIMARY)
                        .engine("postgres")
                        .engineVersion(ENGINE_VERSION)
                        .dbInstanceClass(INSTANCE_CLASS)
                        .allocatedStorage(100)
                        .maxAllocatedStorage(500)
                        .storageType("gp3")
                        .storageEncrypted(true)
                        .dbName(DATABASE)
                        .masterUsername(USERNAME)
                        .masterUserPassword(SANDBOX_PASSWORD)
                        .dbSubnetGroupName(SUBNET_GROUP)
                        .vpcSecurityGroupIds(securityGroupId)
                        .backupRetentionPeriod(7)
                        // The guide's 03:00-04:00 touches the maintenance window, which moto counts as overlap.
                        .preferredBackupWindow("03:00-03:59")
                        .preferredMaintenanceWindow("sun:04:00-sun:05:00")
                        .publiclyAccessible(false)
                        .deletionProtection(true)
                        .tags(t -> t.key("Project").value("fluxion")))
                .dbInstance());
        if (find(REPLICA).isEmpty()) {
            rds.createDBInstanceReadReplica(r -> r.dbInstanceIdentifier(REPLICA)
                    .sourceDBInstanceIdentifier(PRIMARY)
                    .dbInstanceClass(INSTANCE_CLASS)
                    .publiclyAccessible(false)
                    .tags(t -> t.key("Project").value("fluxion")));
        }
        return primary.endpoint() == null ? PRIMARY : primary.endpoint().address();
    }

    private void subnetGroup(List<String> subnetIds) {
        try {
            rds.describeDBSubnetGroups(r -> r.dbSubnetGroupName(SUBNET_GROUP));
        } catch (DbSubnetGroupNotFoundException missing) {
            rds.createDBSubnetGroup(r -> r.dbSubnetGroupName(SUBNET_GROUP)
                    .dbSubnetGroupDescription("Fluxion private subnets")
                    .subnetIds(subnetIds));
        }
    }

    private Optional<DBInstance> find(String identifier) {
        try {
            return rds.describeDBInstances(r -> r.dbInstanceIdentifier(identifier)).dbInstances().stream()
                    .findFirst();
        } catch (DbInstanceNotFoundException missing) {
            return Optional.empty();
        }
    }
}
