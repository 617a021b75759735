package dev.ferry.preflight;

import dev.ferry.common.FerryException;
import java.util.Map;

/** A job whose preflight found blocking problems does not start. */
public class PreflightBlockedException extends FerryException {

    private final PreflightReport report;

    PreflightBlockedException(PreflightReport report) {
        super(
                "preflight-blocked",
                422,
                "Preflight blocked",
                "preflight found " + report.counts().blocking()
                        + " blocking problem(s): "
                        + report.blockingFindings().stream()
                                .limit(3)
                                .map(f -> (f.step() == null ? "job" : f.step()) + ": " + f.reason())
                                .reduce((a, b) -> a + "; " + b)
                                .orElse("")
                        + " (fix them, or start with skipPreflight and a reason)");
        this.report = report;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("preflightId", report.id().toString(), "blocking", report.blockingFindings());
    }
}
