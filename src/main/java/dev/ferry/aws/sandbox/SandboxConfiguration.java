package dev.ferry.aws.sandbox;

import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
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

    @Bean
    ApplicationRunner sandboxSeeding(ObjectProvider<SandboxEstate> estate) {
        return arguments -> estate.getObject();
    }
}
