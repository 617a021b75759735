package dev.ferry.support;

import dev.ferry.deploy.Tools;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts the slow first-use installs (the AWS emulator, Helm built from source, Chromium) in the
 * background when a run that will need them begins, so that on a fresh machine they overlap the
 * tests before them instead of adding their whole time to the run. The test that needs one asks
 * for it as before, and waits for the background install if it has not finished; a failure here is
 * only printed, since that test then meets it again and reports it.
 */
public final class FirstUseInstalls implements TestExecutionListener {

    private static final Map<String, Callable<?>> BY_TEST_CLASS =
            Map.of("dev.ferry.deploy.HelmChartIT", Tools::helm, "dev.ferry.console.ConsoleIT", () -> {
                HeadlessBrowser.ensureInstalled();
                return null;
            });

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        List<String> classes = plan.getRoots().stream()
                .flatMap(root -> plan.getDescendants(root).stream())
                .flatMap(test -> test.getSource().stream())
                .filter(ClassSource.class::isInstance)
                .map(source -> ((ClassSource) source).getClassName())
                .distinct()
                .toList();
        if (classes.stream().anyMatch(name -> name.endsWith("IT"))) {
            // Most integration tests call the AWS emulator; its first install takes a minute or two.
            inBackground("the AWS emulator", AwsEmulator::endpoint);
        }
        classes.stream()
                .filter(BY_TEST_CLASS::containsKey)
                .forEach(name -> inBackground(name, BY_TEST_CLASS.get(name)));
    }

    private static void inBackground(String what, Callable<?> install) {
        Thread thread = new Thread(
                () -> {
                    try {
                        install.call();
                    } catch (Exception | AssertionError e) {
                        System.out.printf(
                                "[first use] background install for %s failed (%s); the test that needs it will"
                                        + " try again%n",
                                what, e);
                    }
                },
                "first-use");
        thread.setDaemon(true);
        thread.start();
    }
}
