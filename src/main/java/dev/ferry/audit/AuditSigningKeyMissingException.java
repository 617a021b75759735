package dev.ferry.audit;

import dev.ferry.common.FerryException;

/** Signed heads were asked of a Ferry that holds no signing key (an external database, no ferry.audit.signing-key). */
public class AuditSigningKeyMissingException extends FerryException {

    public AuditSigningKeyMissingException() {
        super(
                "audit-signing-key-missing",
                503,
                "No audit signing key",
                "this Ferry has no ferry.audit.signing-key, so it cannot sign audit heads. Ask the operator to"
                        + " configure one (openssl genpkey -algorithm ed25519).");
    }
}
