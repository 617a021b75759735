package dev.ferry.aws.sandbox;

import java.net.URI;

/** An AWS emulator the sandbox started and must stop. */
interface RunningEmulator extends AutoCloseable {

    URI endpoint();

    /** Stops the emulator; safe to call more than once. */
    @Override
    void close();
}
