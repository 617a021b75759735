package dev.ferry.campaign;

import dev.ferry.common.FerryException;

/** The wave is not the one waiting for its approval. */
public class WaveApprovalNotOpenException extends FerryException {

    public WaveApprovalNotOpenException(int wave, CampaignState state, int currentWave) {
        super(
                "wave-approval-not-open",
                409,
                "Wave approval not open",
                "wave " + wave + " is not awaiting approval (campaign " + state + ", current wave " + currentWave
                        + ")");
    }
}
