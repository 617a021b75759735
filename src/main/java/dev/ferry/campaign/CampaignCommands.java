package dev.ferry.campaign;

import java.util.ArrayList;
import java.util.List;

/** Which commands each campaign state allows; the view's {@code allowedActions} and the 409s both come from here. */
final class CampaignCommands {

    private CampaignCommands() {}

    static List<String> allowed(CampaignState state) {
        List<String> allowed = new ArrayList<>();
        switch (state) {
            case RUNNING, SOAKING -> allowed.add("pause");
            case AWAITING_APPROVAL -> {
                allowed.add("approve-wave");
                allowed.add("pause");
            }
            case PAUSED, HALTED -> allowed.add("resume");
            default -> {}
        }
        if (!state.isTerminal() && state != CampaignState.ROLLING_BACK) {
            allowed.add("cancel");
            allowed.add("rollback");
        }
        if (state == CampaignState.CANCELLED) {
            // The jobs a cancelled campaign started may still be undone together.
            allowed.add("rollback");
        }
        return allowed;
    }

    static boolean allows(CampaignState state, String command) {
        return allowed(state).contains(command);
    }
}
