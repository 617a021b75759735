package dev.ferry.aws.sandbox;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The hosted zone {@code fluxionia.co} with the records a CUTOVER switches: {@code api} (to the
 * load balancer) and {@code admin} (to the frontend distribution). Fluxion's DNS really lives in
 * Cloudflare; Route53 stands in for it so DNS steps have something to act on.
 */
final class DnsSeed {

    static final String ZONE = "fluxionia.co";
    static final String API = "api.fluxionia.co";
    static final String ADMIN = "admin.fluxionia.co";
    static final String ALB_DNS = "fluxion-alb-433331665.us-east-1.elb.amazonaws.com";
    static final String FRONTEND_DNS = "e4djerg2y5ax8.cloudfront.net";

    private final Route53Client route53;

    DnsSeed(Route53Client route53) {
        this.route53 = route53;
    }

    /** The hosted zone id, without the {@code /hostedzone/} prefix. */
    String seed() {
        String zoneId = zone();
        Set<String> present = route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .map(ResourceRecordSet::name)
                .collect(Collectors.toSet());
        // CREATE, not UPSERT, and only for missing names: a record a cutover changed stays changed.
        List<Change> missing = List.of(cname(API, ALB_DNS), cname(ADMIN, FRONTEND_DNS)).stream()
                .filter(change -> !present.contains(change.resourceRecordSet().name()))
                .toList();
        if (!missing.isEmpty()) {
            route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId)
                    .changeBatch(b -> b.comment("Ferry sandbox seed").changes(missing)));
        }
        return zoneId;
    }

    private String zone() {
        String id = route53.listHostedZonesByName(r -> r.dnsName(ZONE)).hostedZones().stream()
                .filter(z -> (ZONE + ".").equals(z.name()))
                .map(HostedZone::id)
                .findFirst()
                // A fixed caller reference makes a retried create return the same zone, not a second one.
                .orElseGet(() -> route53.createHostedZone(r -> r.name(ZONE)
                                .callerReference("ferry-sandbox-" + ZONE)
                                .hostedZoneConfig(c -> c.comment("Fluxion (Ferry sandbox)")))
                        .hostedZone()
                        .id());
        return id.substring(id.lastIndexOf('/') + 1);
    }

    private static Change cname(String name, String target) {
        return Change.builder()
                .action(ChangeAction.CREATE)
                .resourceRecordSet(
                        s -> s.name(name + ".").type(RRType.CNAME).ttl(300L).resourceRecords(v -> v.value(target)))
                .build();
    }
}
