package dev.ferry.support;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What the tests install for themselves on a fresh machine (the AWS emulator, a browser, Helm)
 * says so in one line each: what, where, and how long it took, so a slow first run explains itself.
 */
public final class FirstUse {

    private FirstUse() {}

    public static <T> T install(String what, Path where, Callable<T> how) {
        System.out.printf("[first use] installing %s into %s%n", what, where);
        long began = System.nanoTime();
        try {
            T result = how.call();
            System.out.printf(
                    "[first use] installed %s into %s in %.1f s%n", what, where, (System.nanoTime() - began) / 1e9);
            return result;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("installing " + what + " failed", e);
        }
    }
}
