package dev.ferry.support;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Every {@code await()} without its own bound waits up to a minute, not Awaitility's 10 s: a wait
 * for a condition costs nothing when the condition comes early, and a loaded 2-core machine
 * (a fresh CI run installing tools while tests run) is sometimes many times slower than a quiet one.
 */
public final class AwaitilityDefaults implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Awaitility.setDefaultTimeout(Duration.ofMinutes(1));
    }
}
