package dev.ferry.aws;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The one factory of SDK clients: region per step, default credential chain, optional role
 * assumed through STS (credentials cached and refreshed before they expire), optional endpoint
 * override for emulators, the SDK's standard retries and call timeouts as configured
 * ({@link AwsProperties}), and every call observed. Clients are
 * thread-safe and cached per service, region and role.
 */
@Component
public class AwsClients implements DisposableBean {

    private final AwsProperties properties;
    private final AwsCallObserver observer;
    private final AwsCredentialsProvider defaultCredentials =
            DefaultCredentialsProvider.builder().build();
    private final Map<Key, SdkClient> clients = new ConcurrentHashMap<>();
    private final Map<AwsTarget, AwsCredentialsProvider> roles = new ConcurrentHashMap<>();

    AwsClients(AwsProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.observer = new AwsCallObserver(meters);
    }

    /** A client of {@code service} for {@code target}, e.g. {@code client("ecs", EcsClient::builder, target)}. */
    @SuppressWarnings("unchecked")
    public <B extends AwsClientBuilder<B, C>, C extends SdkClient> C client(
            String service, Supplier<B> builder, AwsTarget target) {
        return (C) clients.computeIfAbsent(new Key(service, target), key -> configure(builder.get(), target)
                .build());
    }

    /** S3 needs path-style addressing behind an emulator's single endpoint. */
    public S3Client s3(AwsTarget target) {
        return client("s3", () -> S3Client.builder().forcePathStyle(properties.effectiveEndpoint() != null), target);
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(B builder, AwsTarget target) {
        builder.region(Region.of(target.region()))
                .credentialsProvider(credentials(target))
                .overrideConfiguration(o -> o.addExecutionInterceptor(observer)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(properties.maxAttempts())
                                .build())
                        .apiCallAttemptTimeout(properties.apiCallAttemptTimeout())
                        .apiCallTimeout(properties.apiCallTimeout()));
        URI endpoint = properties.effectiveEndpoint();
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    private AwsCredentialsProvider credentials(AwsTarget target) {
        if (target.roleArn() == null) {
            return defaultCredentials;
        }
        return roles.computeIfAbsent(target, t -> StsAssumeRoleCredentialsProvider.builder()
                .stsClient(client("sts", StsClient::builder, new AwsTarget(t.region(), null)))
                .refreshRequest(r -> r.roleArn(t.roleArn()).roleSessionName("ferry"))
                .build());
    }

    @Override
    public void destroy() {
        clients.values().forEach(SdkClient::close);
        roles.values().forEach(p -> {
            if (p instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // shutting down
                }
            }
        });
    }

    private record Key(String service, AwsTarget target) {}
}
