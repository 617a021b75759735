package dev.ferry.campaign;

import dev.ferry.common.FerryException;
import java.util.List;

/** The caller may not approve this wave: four-eyes, or a role the wave asks for (the slugs of phase approvals). */
public class WaveApprovalForbiddenException extends FerryException {

    private WaveApprovalForbiddenException(String type, String title, String detail) {
        super(type, 403, title, detail);
    }

    static WaveApprovalForbiddenException ownCampaign(String actor) {
        return new WaveApprovalForbiddenException(
                "separation-of-duties",
                "Separation of duties",
                actor + " created this campaign and so cannot approve its waves; another approver must");
    }

    static WaveApprovalForbiddenException missingRole(String actor, List<String> roles) {
        return new WaveApprovalForbiddenException(
                "approver-role-required",
                "Approver role required",
                actor + " needs one of the roles " + roles + " to approve this wave");
    }
}
