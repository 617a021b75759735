package dev.ferry.action.local;

import dev.ferry.common.net.AddressPolicy;
import dev.ferry.common.net.AddressRange;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where {@code http.check} may connect ({@code ferry.http-check.*}). A job's parameters choose the
 * URL, so the cloud metadata address and every link-local address are always refused. Health
 * checks of internal services are the normal case, so loopback and private ranges are allowed by
 * default; a service that should only check public endpoints turns them off and lists the ranges
 * it does check in {@code allowedCidrs}.
 *
 * @param allowLoopback reach 127/8, ::1 (the README's first job checks a local URL)
 * @param allowPrivateNetworks reach RFC 1918, fc00::/7, 100.64/10 and the like (services in the VPC)
 * @param allowedCidrs ranges reachable even with the switches off, e.g. {@code 10.20.0.0/16}
 */
@ConfigurationProperties("ferry.http-check")
public record HttpCheckProperties(
        @DefaultValue("true") boolean allowLoopback,
        @DefaultValue("true") boolean allowPrivateNetworks,
        @DefaultValue List<String> allowedCidrs) {

    public HttpCheckProperties {
        allowedCidrs = allowedCidrs == null
                ? List.of()
                : allowedCidrs.stream().filter(c -> !c.isBlank()).toList();
        // Fails start-up on a typo rather than at the first check.
        allowedCidrs.forEach(AddressRange::parse);
    }

    /** The defaults, as a service without any {@code ferry.http-check} setting has them. */
    static HttpCheckProperties defaults() {
        return new HttpCheckProperties(true, true, List.of());
    }

    AddressPolicy policy() {
        return new AddressPolicy(
                allowLoopback,
                allowPrivateNetworks,
                allowedCidrs.stream().map(AddressRange::parse).toList(),
                "ferry.http-check.allow-loopback or ferry.http-check.allowed-cidrs",
                "ferry.http-check.allow-private-networks or ferry.http-check.allowed-cidrs");
    }
}
