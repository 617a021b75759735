package dev.ferry.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The certificate cache stays within its bound and fetches a URL once while it holds it. */
class SnsCertificatesTest {

    private static SnsSigner server;

    @BeforeAll
    static void start() throws Exception {
        server = SnsSigner.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void keepsAtMostItsCapacityAndFetchesEachUrlOnceWhileKept() {
        SnsCertificates certificates = new SnsCertificates(2);
        for (String name : new String[] {"/a.pem", "/b.pem", "/a.pem", "/c.pem", "/a.pem"}) {
            certificates.get(URI.create(server.local(name)));
        }
        assertThat(certificates.size()).isEqualTo(2);
        // a was used most recently each time, so b went first when c came.
        assertThat(server.requests("/a.pem")).isEqualTo(1);
        certificates.get(URI.create(server.local("/b.pem")));
        assertThat(server.requests("/b.pem")).isEqualTo(2);
    }
}
