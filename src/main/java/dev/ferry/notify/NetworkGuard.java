package dev.ferry.notify;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;

/**
 * Keeps a job's own webhook and Slack URLs out of the networks Ferry itself lives in: anyone who
 * may create a job chooses them, and Ferry holds AWS credentials next to the instance metadata
 * service (169.254.169.254). A URL whose host resolves to a loopback, link-local, private,
 * shared-address or unique-local address is refused when the job is created and again before every
 * send. Targets an operator configures globally are trusted, and
 * {@code ferry.notifications.allow-private-networks} turns the guard off (tests, labs).
 *
 * <p>Limit: the HTTP client resolves the host once more when it connects, so a name that changes
 * its answer between the check and the connection (DNS rebinding) is not caught.
 */
@Component
class NetworkGuard {

    private final boolean allowPrivate;

    NetworkGuard(NotificationProperties properties) {
        this.allowPrivate = properties.allowPrivateNetworks();
    }

    /** Why a job's target may not be sent to, or null if it may. */
    String refusal(URI url) {
        if (allowPrivate) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return "its host does not resolve";
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return "its host resolves to a loopback, link-local or private address, which job targets may not"
                        + " reach (ferry.notifications.allow-private-networks)";
            }
        }
        return null;
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            // 0/8 "this network", 100.64/10 carrier-grade NAT, 198.18/15 benchmarking.
            return first != 0 && !(first == 100 && second >= 64 && second < 128)
                    && !(first == 198 && (second == 18 || second == 19));
        }
        // fc00::/7 unique local.
        return (b[0] & 0xfe) != 0xfc;
    }
}
