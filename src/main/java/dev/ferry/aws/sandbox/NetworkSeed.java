package dev.ferry.aws.sandbox;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** {@code fluxion-vpc}: 10.0.0.0/16, two private subnets in two zones, one security group. */
final class NetworkSeed {

    static final String VPC_NAME = "fluxion-vpc";
    static final String VPC_CIDR = "10.0.0.0/16";
    static final List<String> SUBNET_NAMES = List.of("fluxion-private-1", "fluxion-private-2");
    // The guide's public subnets would take 10.0.0.0/24 and 10.0.1.0/24; WireGuard sits at 10.0.2.251.
    static final List<String> SUBNET_CIDRS = List.of("10.0.2.0/24", "10.0.3.0/24");
    static final String SECURITY_GROUP = "fluxion-backend-sg";

    record Ids(String vpcId, List<String> subnetIds, String securityGroupId) {}

    private final Ec2Client ec2;

    NetworkSeed(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    Ids seed() {
        String vpcId = vpc();
        List<String> zones = ec2.describeAvailabilityZones().availabilityZones().stream()
                .map(z -> z.zoneName())
                .sorted()
                .limit(2)
                .toList();
        List<String> subnets = new ArrayList<>();
        for (int i = 0; i < SUBNET_NAMES.size(); i++) {
            subnets.add(subnet(vpcId, SUBNET_NAMES.get(i), SUBNET_CIDRS.get(i), zones.get(i % zones.size())));
        }
        return new Ids(vpcId, subnets, securityGroup(vpcId));
    }

    private String vpc() {
        List<Vpc> found = ec2.describeVpcs(r -> r.filters(tag(VPC_NAME))).vpcs();
        if (!found.isEmpty()) {
            return found.get(0).vpcId();
        }
        String vpcId = ec2.createVpc(r -> r.cidrBlock(VPC_CIDR).tagSpecifications(named(ResourceType.VPC, VPC_NAME)))
                .vpc()
                .vpcId();
        // EFS mounts by DNS name and Fargate tasks get private DNS names: both need DNS hostnames.
        ec2.modifyVpcAttribute(r -> r.vpcId(vpcId).enableDnsSupport(b -> b.value(true)));
        ec2.modifyVpcAttribute(r -> r.vpcId(vpcId).enableDnsHostnames(b -> b.value(true)));
        return vpcId;
    }

    private String subnet(String vpcId, String name, String cidr, String zone) {
        List<Subnet> found =
                ec2.describeSubnets(r -> r.filters(vpcFilter(vpcId), tag(name))).subnets();
        if (!found.isEmpty()) {
            return found.get(0).subnetId();
        }
        return ec2.createSubnet(r -> r.vpcId(vpcId)
                        .cidrBlock(cidr)
                        .availabilityZone(zone)
                        .tagSpecifications(named(ResourceType.SUBNET, name)))
                .subnet()
                .subnetId();
    }

    private String securityGroup(String vpcId) {
        List<SecurityGroup> found = ec2.describeSecurityGroups(r -> r.filters(
                        vpcFilter(vpcId),
                        Filter.builder()
                                .name("group-name")
                                .values(SECURITY_GROUP)
                                .build()))
                .securityGroups();
        if (!found.isEmpty()) {
            return found.get(0).groupId();
        }
        String groupId = ec2.createSecurityGroup(r -> r.vpcId(vpcId)
                        .groupName(SECURITY_GROUP)
                        .description("Fluxion backend tasks and the EFS mount targets they use")
                        .tagSpecifications(named(ResourceType.SECURITY_GROUP, SECURITY_GROUP)))
                .groupId();
        // NFS for the EFS mount targets, 8001 for the backend behind the ALB, both from inside the VPC.
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId)
                .ipPermissions(
                        p -> p.ipProtocol("tcp").fromPort(2049).toPort(2049).ipRanges(i -> i.cidrIp(VPC_CIDR)),
                        p -> p.ipProtocol("tcp").fromPort(8001).toPort(8001).ipRanges(i -> i.cidrIp(VPC_CIDR))));
        return groupId;
    }

    private static Filter tag(String name) {
        return Filter.builder().name("tag:Name").values(name).build();
    }

    private static Filter vpcFilter(String vpcId) {
        return Filter.builder().name("vpc-id").values(vpcId).build();
    }

    private static TagSpecification named(ResourceType type, String name) {
        return TagSpecification.builder()
                .resourceType(type)
                .tags(
                        Tag.builder().key("Name").value(name).build(),
                        Tag.builder().key("Project").value("fluxion").build())
                .build();
    }
}
