package dev.ferry.common.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses an outbound request chosen by a job author may reach. The cloud metadata
 * services (169.254.169.254, fd00:ec2::254), every other link-local address and multicast are
 * always refused: Ferry holds AWS credentials next to them. Loopback ("this host", 0.0.0.0
 * included) and private ranges (RFC 1918, unique-local fc00::/7, carrier-grade NAT 100.64/10,
 * benchmarking 198.18/15, 0/8) are refused unless allowed, by a switch or by one of
 * {@code allowed} ranges. Public addresses are always allowed.
 *
 * @param allowLoopback reach 127/8, ::1 and the unspecified address
 * @param allowPrivate reach the private ranges above
 * @param allowed ranges reachable even when their kind is not allowed (never the always-refused ones)
 * @param loopbackSetting what an operator changes to allow loopback, named in refusals
 * @param privateSetting what an operator changes to allow private ranges, named in refusals
 */
public record AddressPolicy(
        boolean allowLoopback,
        boolean allowPrivate,
        List<AddressRange> allowed,
        String loopbackSetting,
        String privateSetting) {

    private static final List<AddressRange> METADATA =
            List.of(AddressRange.parse("169.254.169.254/32"), AddressRange.parse("fd00:ec2::254/128"));
    private static final List<AddressRange> PRIVATE = List.of(
            AddressRange.parse("100.64.0.0/10"),
            AddressRange.parse("198.18.0.0/15"),
            AddressRange.parse("0.0.0.0/8"),
            AddressRange.parse("fc00::/7"));

    public AddressPolicy {
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }

    /**
     * The rule that refuses {@code address}, worded for an operator ("169.254.169.254 is the cloud
     * metadata address, always refused"), or null if the address may be reached.
     */
    public String refusal(InetAddress address) {
        String shown = address.getHostAddress();
        if (METADATA.stream().anyMatch(r -> r.contains(address))) {
            return shown + " is the cloud metadata address, always refused";
        }
        if (address.isLinkLocalAddress()) {
            return shown + " is a link-local address, always refused";
        }
        if (address.isMulticastAddress()) {
            return shown + " is a multicast address, always refused";
        }
        if (allowed.stream().anyMatch(r -> r.contains(address))) {
            return null;
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return allowLoopback ? null : shown + " is a loopback address, refused (" + loopbackSetting + ")";
        }
        if (address.isSiteLocalAddress() || PRIVATE.stream().anyMatch(r -> r.contains(address))) {
            return allowPrivate ? null : shown + " is a private address, refused (" + privateSetting + ")";
        }
        return null;
    }

    /**
     * The addresses {@code host} resolves to, each checked; throws {@link AddressRefusedException}
     * naming the rule if any one is refused (a name with one bad answer is not trusted for the others).
     */
    public InetAddress[] resolve(String host, HostResolver resolver) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        for (InetAddress address : addresses) {
            String refused = refusal(address);
            if (refused != null) {
                throw new AddressRefusedException(host, refused);
            }
        }
        return addresses;
    }

    /**
     * Why {@code url}'s host may not be reached now, or null if it may: a check when a URL is
     * accepted (the connection is checked again, see {@link GuardedHttpClients}).
     */
    public String refusal(URI url, HostResolver resolver) {
        try {
            resolve(url.getHost(), resolver);
            return null;
        } catch (AddressRefusedException e) {
            return "its host resolves to " + e.rule();
        } catch (UnknownHostException e) {
            return "its host does not resolve";
        }
    }
}
