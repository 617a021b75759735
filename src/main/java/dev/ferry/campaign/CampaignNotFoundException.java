package dev.ferry.campaign;

import dev.ferry.common.FerryException;
import java.util.UUID;

public class CampaignNotFoundException extends FerryException {

    public CampaignNotFoundException(UUID id) {
        super("campaign-not-found", 404, "Campaign not found", "No campaign " + id);
    }
}
