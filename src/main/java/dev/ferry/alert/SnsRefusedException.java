package dev.ferry.alert;

import dev.ferry.common.FerryException;

/**
 * An SNS delivery Ferry will not act on, and why. Each reason has its own problem type, so an
 * operator reading a refusal (or the {@code ferry.alerts} metric's outcome) knows which rule fired.
 */
class SnsRefusedException extends FerryException {

    static final String DISABLED = "sns-intake-disabled";
    static final String TOPIC = "sns-topic-not-accepted";
    static final String STALE = "sns-message-stale";
    static final String REPLAYED = "sns-message-replayed";
    static final String SIGNATURE_VERSION = "sns-signature-version-refused";
    static final String URL = "sns-url-refused";
    static final String SIGNATURE = "alert-signature-invalid";
    static final String MALFORMED = "invalid-alert";

    private final String outcome;

    private SnsRefusedException(String slug, int status, String title, String outcome, String detail) {
        super(slug, status, title, detail);
        this.outcome = outcome;
    }

    /** The {@code outcome} tag of the {@code ferry.alerts} metric: {@code REFUSED_TOPIC} and the like. */
    String outcome() {
        return outcome;
    }

    static SnsRefusedException disabled() {
        return new SnsRefusedException(
                DISABLED,
                403,
                "SNS intake disabled",
                "REFUSED_DISABLED",
                "no SNS topic is accepted: list the topic ARNs in ferry.alerts.sns.topics");
    }

    static SnsRefusedException topic(String topic) {
        return new SnsRefusedException(
                TOPIC,
                403,
                "SNS topic not accepted",
                "REFUSED_TOPIC",
                "topic " + topic + " is not one of ferry.alerts.sns.topics");
    }

    static SnsRefusedException stale(String detail) {
        return new SnsRefusedException(STALE, 400, "SNS message stale", "REFUSED_STALE", detail);
    }

    static SnsRefusedException replayed(String messageId) {
        return new SnsRefusedException(
                REPLAYED,
                409,
                "SNS message replayed",
                "REFUSED_REPLAYED",
                "message " + messageId + " was already received");
    }

    static SnsRefusedException signatureVersion(String version) {
        return new SnsRefusedException(
                SIGNATURE_VERSION,
                403,
                "SNS signature version refused",
                "REFUSED_SIGNATURE_VERSION",
                "SignatureVersion '" + version + "' is not accepted; 2 is, and 1 only with"
                        + " ferry.alerts.sns.allow-signature-version1");
    }

    static SnsRefusedException url(String detail) {
        return new SnsRefusedException(URL, 403, "SNS URL refused", "REFUSED_URL", detail);
    }

    static SnsRefusedException signature(String detail) {
        return new SnsRefusedException(SIGNATURE, 403, "SNS message rejected", "REFUSED_SIGNATURE", detail);
    }

    static SnsRefusedException malformed(String detail) {
        return new SnsRefusedException(MALFORMED, 400, "Invalid alert", "REFUSED_MALFORMED", detail);
    }
}
