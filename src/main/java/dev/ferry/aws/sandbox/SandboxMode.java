package dev.ferry.aws.sandbox;

import java.util.Arrays;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether sandbox mode is on: the {@code sandbox} profile is active or {@code ferry.sandbox.enabled}
 * is true. One definition shared by the environment post-processor and the bean condition, so the
 * emulator and the seeding can never disagree about it.
 */
public final class SandboxMode implements Condition {

    public static final String PROFILE = "sandbox";
    public static final String ENABLED = "ferry.sandbox.enabled";

    /** True when the profile or the flag asks for the sandbox. */
    public static boolean isOn(Environment environment) {
        return Arrays.asList(environment.getActiveProfiles()).contains(PROFILE)
                || environment.getProperty(ENABLED, Boolean.class, false);
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return isOn(context.getEnvironment());
    }
}
