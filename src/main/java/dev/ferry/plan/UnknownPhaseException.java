package dev.ferry.plan;

import dev.ferry.common.FerryException;
import java.util.Arrays;
import java.util.Locale;

/** A phase name that is not one of the seven. */
public class UnknownPhaseException extends FerryException {

    public UnknownPhaseException(String name) {
        super(
                "phase-not-found",
                404,
                "Unknown phase",
                "'" + name + "' is not a phase; phases are "
                        + String.join(
                                ", ",
                                Arrays.stream(Phase.values())
                                        .map(p -> p.name().toLowerCase(Locale.ROOT))
                                        .toList()));
    }
}
