package dev.ferry.aws.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Sandbox mode's beans. The estate is a lazy bean so that whoever needs its ids can inject it,
 * and the runner asks for it once at start-up so the emulator is seeded even if nobody does.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SandboxMode.class)
class SandboxConfiguration {

    @Bean
    FluxionEstate fluxionEstate(AwsClients clients, AwsProperties properties) {
        return new FluxionEstate(clients, properties);
    }

    @Bean
    @Lazy
    SandboxEstate sandboxEstate(FluxionEstate estate) {
        return estate.seed();
    }

    /**
     * Seeds at start-up and writes the request body of an efs-encryption job for this estate to
     * {@code <sandbox home>/efs-encryption-job.json}, so the README's curl lines work as they are.
     */
    @Bean
    ApplicationRunner sandboxSeeding(ObjectProvider<SandboxEstate> estate, SandboxProperties properties) {
        Path home = properties.home();
        return arguments -> {
            Map<String, Object> job = Map.of(
                    "plan",
                    "efs-encryption",
                    "name",
                    "encrypt fluxion-data",
                    "parameters",
                    estate.getObject().efsEncryptionParameters());
            Files.createDirectories(home);
            Files.writeString(home.resolve("efs-encryption-job.json"), new ObjectMapper().writeValueAsString(job));
        };
    }
}
