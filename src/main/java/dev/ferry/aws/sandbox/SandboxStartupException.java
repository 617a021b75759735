package dev.ferry.aws.sandbox;

/** The sandbox's emulator could not be installed or started; the message says what to check. */
public class SandboxStartupException extends RuntimeException {

    public SandboxStartupException(String message, Throwable cause) {
        super("Ferry sandbox: " + message, cause);
    }
}
