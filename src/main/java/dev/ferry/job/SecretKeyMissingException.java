package dev.ferry.job;

import dev.ferry.common.FerryException;

/**
 * A secret was given to a Ferry that has no key to seal it with (an external database and no
 * {@code ferry.security.secret-key}): it is refused rather than stored in plain text.
 */
public class SecretKeyMissingException extends FerryException {

    public SecretKeyMissingException(String what) {
        super(
                "secret-key-missing",
                422,
                "No key to seal secrets with",
                what + " cannot be accepted: this Ferry has no ferry.security.secret-key, and secrets are never "
                        + "stored in plain text. Ask the operator to configure one (openssl rand -base64 32).");
    }
}
