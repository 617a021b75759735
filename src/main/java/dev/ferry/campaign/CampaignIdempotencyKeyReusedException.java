package dev.ferry.campaign;

import dev.ferry.common.FerryException;
import java.util.Map;

/** The same {@code Idempotency-Key} came back with a different campaign request. */
public class CampaignIdempotencyKeyReusedException extends FerryException {

    private final String campaignId;

    public CampaignIdempotencyKeyReusedException(String key, String campaignId) {
        super(
                "idempotency-key-reused",
                422,
                "Idempotency key reused",
                "Idempotency-Key '" + key + "' was already used for a different request (campaign " + campaignId + ")");
        this.campaignId = campaignId;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("campaignId", campaignId);
    }
}
