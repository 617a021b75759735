package dev.ferry.action.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.support.Api;
import dev.ferry.support.Engine;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code http.check} on a service that allows neither loopback nor private networks, only the
 * range it lists: every other local address is refused before a connection, by address or by a
 * name that resolves to one, and the listed range is checked for real.
 */
class HttpCheckRestrictedIT {

    @Test
    void onlyTheListedRangeIsReached() throws Exception {
        try (Engine engine = Engine.start(
                        TestDatabase.newDatabase(),
                        "ferry.http-check.allow-loopback=false",
                        "ferry.http-check.allow-private-networks=false",
                        "ferry.http-check.allowed-cidrs=127.0.0.2/32");
                CheckedEndpoint loopback = CheckedEndpoint.on("127.0.0.1");
                CheckedEndpoint listed = CheckedEndpoint.on("127.0.0.2")) {
            Api api = engine.api();
            String plan = Jobs.registerPlan(api, "restricted", HttpCheckGuardIT.PLAN);

            assertRefused(
                    api,
                    plan,
                    loopback.url(),
                    "127.0.0.1 is a loopback address, refused"
                            + " (ferry.http-check.allow-loopback or ferry.http-check.allowed-cidrs)");
            // A name is judged by what it resolves to (here the machine's own resolver, for real).
            assertRefused(api, plan, loopback.url("localhost"), "is a loopback address, refused");
            assertThat(loopback.requests())
                    .as("requests that reached the refused endpoint")
                    .isZero();

            Optional<InetAddress> address = CheckedEndpoint.privateAddressOfThisHost();
            if (address.isPresent()) {
                try (CheckedEndpoint internal = CheckedEndpoint.on(address.get())) {
                    assertRefused(
                            api,
                            plan,
                            internal.url(),
                            "is a private address, refused"
                                    + " (ferry.http-check.allow-private-networks or ferry.http-check.allowed-cidrs)");
                    assertThat(internal.requests()).isZero();
                }
            }

            UUID allowed = Jobs.start(api, "alice", plan, Map.of("healthUrl", listed.url()));
            Jobs.awaitState(api, allowed, "SUCCEEDED");
            assertThat(listed.requests()).isPositive();
        }
    }

    private static void assertRefused(Api api, String plan, String url, String rule) {
        UUID id = Jobs.start(api, "alice", plan, Map.of("healthUrl", url));
        JsonNode step = Jobs.step(Jobs.awaitState(api, id, "PAUSED"), "check");
        assertThat(step.at("/error/code").asText()).as(url).isEqualTo("ADDRESS_REFUSED");
        assertThat(step.at("/error/message").asText()).as(url).contains(rule);
    }
}
