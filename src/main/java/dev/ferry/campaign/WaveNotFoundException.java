package dev.ferry.campaign;

import dev.ferry.common.FerryException;

public class WaveNotFoundException extends FerryException {

    public WaveNotFoundException(int wave, int waves) {
        super(
                "wave-not-found",
                404,
                "Wave not found",
                "wave " + wave + " does not exist; the campaign has waves 1 to " + waves);
    }
}
