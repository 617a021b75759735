package dev.ferry.campaign;

import dev.ferry.common.FerryException;
import java.util.Map;

/** A command the campaign's state does not allow (resume a finished campaign, pause a paused one). */
public class CampaignCommandNotAllowedException extends FerryException {

    private final CampaignState state;

    public CampaignCommandNotAllowedException(String command, CampaignState state) {
        super(
                "campaign-command-not-allowed",
                409,
                "Campaign command not allowed",
                "cannot " + command + " a campaign that is " + state + "; allowed: "
                        + (CampaignCommands.allowed(state).isEmpty() ? "none" : CampaignCommands.allowed(state)));
        this.state = state;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("state", state.name(), "allowed", CampaignCommands.allowed(state));
    }
}
