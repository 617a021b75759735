package dev.ferry.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of integration tests that talk to the real service over HTTP ({@link FerryService}) with
 * AWS being the emulator. All subclasses share one context.
 */
public abstract class FerryIT extends FerryService {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        properties(registry, AwsEmulator.endpoint());
    }
}
