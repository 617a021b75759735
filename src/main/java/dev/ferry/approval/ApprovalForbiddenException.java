package dev.ferry.approval;

import dev.ferry.common.FerryException;
import java.util.List;

/** The caller may not decide on this phase: four-eyes, or a role the plan asks for. */
public class ApprovalForbiddenException extends FerryException {

    private ApprovalForbiddenException(String type, String title, String detail) {
        super(type, 403, title, detail);
    }

    static ApprovalForbiddenException ownJob(String actor) {
        return new ApprovalForbiddenException(
                "separation-of-duties",
                "Separation of duties",
                actor + " created this job and so cannot approve it; another approver must");
    }

    static ApprovalForbiddenException missingRole(String actor, List<String> roles) {
        return new ApprovalForbiddenException(
                "approver-role-required",
                "Approver role required",
                actor + " needs one of the roles " + roles + " to decide on this phase");
    }
}
