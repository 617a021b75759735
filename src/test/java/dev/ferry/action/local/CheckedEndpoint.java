package dev.ferry.action.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A health endpoint on a chosen local address that counts its requests and answers
 * {@code {"status":"UP"}} with a field no viewer of a job may read, so a test can show that a
 * check was (or was not) made and that its body was not kept.
 */
final class CheckedEndpoint implements AutoCloseable {

    static final String SECRET = "AKIA-not-for-job-viewers";

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private CheckedEndpoint(InetAddress address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/health", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("{\"status\":\"UP\",\"credentials\":\"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    static CheckedEndpoint on(String address) throws IOException {
        return new CheckedEndpoint(InetAddress.getByName(address));
    }

    static CheckedEndpoint on(InetAddress address) throws IOException {
        return new CheckedEndpoint(address);
    }

    /**
     * A private address of this machine (RFC 1918 or unique-local IPv6), if it has one: the kind
     * of address an internal service's health endpoint has.
     */
    static Optional<InetAddress> privateAddressOfThisHost() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                boolean uniqueLocal = address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
                if (address.isSiteLocalAddress() || uniqueLocal) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    /** The URL of the health path with {@code host} as written (a name or a literal). */
    String url(String host) {
        return "http://" + host + ":" + server.getAddress().getPort() + "/health";
    }

    /** The URL of the health path by the address it listens on. */
    String url() {
        InetAddress address = server.getAddress().getAddress();
        String host = address.getHostAddress();
        int scope = host.indexOf('%');
        host = scope < 0 ? host : host.substring(0, scope);
        return url(address instanceof Inet6Address ? "[" + host + "]" : host);
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
