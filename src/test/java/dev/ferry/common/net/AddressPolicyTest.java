package dev.ferry.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    private static final AddressPolicy STRICT =
            new AddressPolicy(false, false, List.of(), "loopback-setting", "private-setting");
    private static final AddressPolicy OPEN =
            new AddressPolicy(true, true, List.of(AddressRange.parse("169.254.0.0/16")), "", "");

    @Test
    void metadataLinkLocalAndMulticastAreRefusedWhateverIsAllowed() throws Exception {
        for (String address : List.of(
                "169.254.169.254",
                "fd00:ec2::254",
                "169.254.170.2",
                "fe80::1",
                "224.0.0.1",
                "::ffff:169.254.169.254")) {
            assertThat(OPEN.refusal(InetAddress.getByName(address))).as(address).contains("always refused");
        }
    }

    @Test
    void loopbackAndPrivateRangesAreRefusedUnlessAllowed() throws Exception {
        for (String address : List.of("127.0.0.1", "127.0.0.2", "::1", "0.0.0.0")) {
            assertThat(STRICT.refusal(InetAddress.getByName(address)))
                    .as(address)
                    .contains("loopback-setting");
            assertThat(OPEN.refusal(InetAddress.getByName(address))).as(address).isNull();
        }
        for (String address :
                List.of("10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "198.18.0.1", "fd12::1", "0.1.2.3")) {
            assertThat(STRICT.refusal(InetAddress.getByName(address)))
                    .as(address)
                    .contains("private-setting");
            assertThat(OPEN.refusal(InetAddress.getByName(address))).as(address).isNull();
        }
        for (String address : List.of("8.8.8.8", "52.94.76.1", "2600:1f18::1")) {
            assertThat(STRICT.refusal(InetAddress.getByName(address)))
                    .as(address)
                    .isNull();
        }
    }

    @Test
    void anAllowedRangeOpensOnlyItself() throws Exception {
        AddressPolicy listed = new AddressPolicy(
                false, false, List.of(AddressRange.parse("10.20.0.0/16"), AddressRange.parse("127.0.0.2")), "l", "p");
        assertThat(listed.refusal(InetAddress.getByName("10.20.3.4"))).isNull();
        assertThat(listed.refusal(InetAddress.getByName("127.0.0.2"))).isNull();
        assertThat(listed.refusal(InetAddress.getByName("10.21.0.1"))).isNotNull();
        assertThat(listed.refusal(InetAddress.getByName("127.0.0.1"))).isNotNull();
    }

    @Test
    void oneRefusedAnswerRefusesTheName() {
        // Stands in for DNS: a name with a public and a metadata answer.
        HostResolver split =
                host -> new InetAddress[] {InetAddress.getByName("8.8.8.8"), InetAddress.getByName("169.254.169.254")};
        assertThatThrownBy(() -> OPEN.resolve("rebind.example", split))
                .isInstanceOf(AddressRefusedException.class)
                .hasMessageContaining("cloud metadata address");
    }

    @Test
    void rangesAreLiteralCidrBlocks() throws Exception {
        assertThat(AddressRange.parse("fd12:3456::/48").contains(InetAddress.getByName("fd12:3456:0:1::9")))
                .isTrue();
        assertThatThrownBy(() -> AddressRange.parse("internal.example/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }
}
