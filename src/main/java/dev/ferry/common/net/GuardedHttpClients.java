package dev.ferry.common.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP clients whose every connection goes to an address the {@link AddressPolicy} allows. The
 * client's own resolver is replaced: it resolves the host once per connection, checks every
 * address and hands only those to the connector, so there is no second lookup that DNS rebinding
 * could answer differently. The request keeps the host name, so the Host header, SNI and the TLS
 * certificate check are those of the URL. Redirects are never followed, no proxy is used, and
 * connections are not kept (each check is a fresh resolution).
 */
public final class GuardedHttpClients {

    private GuardedHttpClients() {}

    /** A client for {@code policy}; {@code timeout} bounds connecting and each wait for data. */
    public static CloseableHttpClient create(AddressPolicy policy, HostResolver resolver, Duration timeout) {
        Timeout bound = Timeout.of(timeout);
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PolicyResolver(policy, resolver))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(bound)
                                .setSocketTimeout(bound)
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setResponseTimeout(bound)
                        .build())
                .setConnectionReuseStrategy((request, response, context) -> false)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    /**
     * The target of {@code url} as a host name only: an {@link HttpHost} that carried an address
     * would be connected to without asking the resolver, that is without the policy.
     */
    public static HttpHost target(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        return new HttpHost(scheme, url.getHost(), url.getPort());
    }

    /** Resolves through the policy: what it returns is exactly what the connector connects to. */
    private record PolicyResolver(AddressPolicy policy, HostResolver resolver) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            // URI hosts keep IPv6 literals in brackets.
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return policy.resolve(bare, resolver);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            // Only Kerberos/SPNEGO asks for it, which these clients never do.
            return host;
        }
    }
}
