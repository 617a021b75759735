package dev.ferry.support;

import dev.ferry.FerryApplication;
import java.net.URI;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real service over HTTP for integration tests: the whole Spring stack on a random port, on
 * the database {@link TestDatabase} picks, with metrics exported as in production. A subclass says
 * where AWS is with a {@code @DynamicPropertySource} calling {@link #properties}; {@link FerryIT}
 * is the usual one (the emulator, one context shared by all).
 */
// Metrics are exported as in production (Spring Boot turns the Prometheus endpoint off in tests otherwise).
@AutoConfigureObservability(tracing = false)
@SpringBootTest(
        classes = FerryApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "ferry.worker.fallback-poll=PT2S",
            // Test receivers listen on 127.0.0.1, which a job's own targets may not reach in production.
            "ferry.notifications.allow-private-networks=true",
            // Tests sign SNS messages with their own certificate, served from 127.0.0.1, for this topic.
            "ferry.alerts.sns.cert-url-pattern=^http://127\\.0\\.0\\.1:[0-9]+/.*",
            "ferry.alerts.sns.topics=arn:aws:sns:us-east-1:000000000000:ferry-alarms"
        })
public abstract class FerryService {

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected static void properties(DynamicPropertyRegistry registry, URI aws) {
        TestDatabase.Coordinates db = TestDatabase.shared();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("ferry.aws.endpoint", aws::toString);
        // The service skips this at start-up (application.yml); every test context does it instead.
        registry.add("spring.jpa.hibernate.ddl-auto", () -> "validate");
        registry.add("ferry.aws.region", () -> AwsEmulator.REGION);
        // Streams tests wait for a heartbeat; 15 s would only make them slow.
        registry.add("ferry.streams.heartbeat", () -> "PT1S");
        registry.add("ferry.metrics.refresh", () -> "PT1S");
        // Campaign soaks in tests last a second or two; NOTIFY wakes the driver for everything else.
        registry.add("ferry.campaigns.poll", () -> "PT0.5S");
        // An external database has no key file beside it: the signed audit heads need one given.
        registry.add("ferry.audit.signing-key", TestAuditKey::pem);
        for (String setting : TestTokens.settings()) {
            int equals = setting.indexOf('=');
            registry.add(setting.substring(0, equals), () -> setting.substring(equals + 1));
        }
    }

    /** A client that reads as a viewer; {@code api().as(user, roles...)} for anything else. */
    protected Api api() {
        return Api.viewer("http://127.0.0.1:" + port);
    }
}
