package dev.ferry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.support.Api;
import dev.ferry.support.ServiceProcess;
import dev.ferry.support.TestDatabase;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The published tokens (the README's {@code ferry-dev-*}, the Compose file's
 * {@code ferry-compose-*}) grant nothing to whoever merely reaches the port: development tokens
 * make the service listen on loopback only, and Compose tokens work only inside Compose.
 */
class PublishedTokensIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final String DEV_APPROVER = "ferry-dev-bob";

    @Test
    void withDevelopmentTokensTheServiceAnswersOnLoopbackOnly() throws Exception {
        ServiceProcess.Spec spec = embedded("dev-tokens-loopback").without("server.address");
        try (ServiceProcess service = spec.start()) {
            assertThat(service.api().bearer(DEV_APPROVER).get("/api/v1/jobs").status())
                    .isEqualTo(200);
            String log = Files.readString(service.log());
            assertThat(log).contains("Development API tokens are accepted").contains("listening on 127.0.0.1 only");

            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isEmpty()) {
                System.out.println("This machine has no non-loopback address: only the bound address is checked");
                return;
            }
            URI outside = URI.create(
                    "http://" + host(other.get()) + ":" + service.baseUri().getPort() + "/api/v1/jobs");
            // Nothing listens there: the connection itself is refused, before any token is read.
            assertThatThrownBy(() -> HTTP.send(
                            HttpRequest.newBuilder(outside)
                                    .header("Authorization", "Bearer " + DEV_APPROVER)
                                    .build(),
                            HttpResponse.BodyHandlers.discarding()))
                    .as("a request to %s", outside)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void anExplicitAddressIsHonouredWithALoudWarning() throws Exception {
        ServiceProcess.Spec spec = embedded("dev-tokens-exposed").with("server.address=0.0.0.0");
        try (ServiceProcess service = spec.start()) {
            assertThat(Files.readString(service.log()))
                    .contains("DEVELOPMENT TOKENS ARE ACCEPTED ON 0.0.0.0")
                    .contains("can create, run")
                    .contains("APPROVE migrations");
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                URI outside = URI.create("http://" + host(other.get()) + ":"
                        + service.baseUri().getPort() + "/actuator/health/readiness");
                assertThat(HTTP.send(HttpRequest.newBuilder(outside).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void composeTokensAreRefusedOutsideCompose() throws Exception {
        ServiceProcess.Spec outside = ServiceProcess.Spec.of(
                "compose-tokens-outside",
                TestDatabase.newDatabase(),
                "ferry.security.tokens[3].subject=operator",
                "ferry.security.tokens[3].roles=operator",
                "ferry.security.tokens[3].sha256=" + StaticTokens.sha256("ferry-compose-operator"),
                "ferry.security.tokens[4].subject=approver",
                "ferry.security.tokens[4].roles=approver",
                "ferry.security.tokens[4].sha256=" + StaticTokens.sha256("ferry-compose-approver"));
        try (ServiceProcess service = outside.start()) {
            Api.Response refused =
                    service.api().bearer("ferry-compose-approver").get("/api/v1/jobs");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            Api.Response created = service.api()
                    .bearer("ferry-compose-operator")
                    .post("/api/v1/jobs", Map.of("plan", "rehearsal", "name", "from outside"));
            assertThat(created.status()).isEqualTo(401);
            String log = Files.readString(service.log());
            assertThat(log)
                    .contains("published in docker/compose.yaml and is refused outside that stack")
                    .contains("Refused a published token (docker/compose.yaml token");
        }
        try (ServiceProcess service =
                outside.with("ferry.security.compose-stack=true").start()) {
            assertThat(service.api()
                            .bearer("ferry-compose-approver")
                            .get("/api/v1/jobs")
                            .status())
                    .isEqualTo(200);
        }
    }

    private static ServiceProcess.Spec embedded(String name) throws IOException {
        Path directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), name + "-");
        return ServiceProcess.Spec.of(
                name, null, "ferry.database.embedded.data-directory=" + directory.resolve("pgdata"));
    }

    /** An address of this machine other than loopback (IPv4 first; link-local ones need a scope, skipped). */
    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .min(Comparator.comparing(address -> address instanceof Inet4Address ? 0 : 1));
    }

    private static String host(InetAddress address) {
        return address instanceof Inet4Address ? address.getHostAddress() : "[" + address.getHostAddress() + "]";
    }
}
