package dev.ferry.common.net;

import java.net.UnknownHostException;

/**
 * A host resolved to an address the {@link AddressPolicy} refuses. It is an
 * {@link UnknownHostException} so that an HTTP client's resolver may throw it; callers catch it to
 * tell a refusal (final) from a network error (worth retrying).
 */
public class AddressRefusedException extends UnknownHostException {

    private final String rule;

    public AddressRefusedException(String host, String rule) {
        super(host + " refused: " + rule);
        this.rule = rule;
    }

    /** The rule that refused the address, e.g. "169.254.169.254 is the cloud metadata address, always refused". */
    public String rule() {
        return rule;
    }
}
