package dev.ferry.aws.kms;

import java.util.Optional;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;

/** Finding the key a step created by its token tag. */
final class KmsKeys {

    /** Marks the key a step created, so a retry can find it even before it has its alias. */
    static final String TOKEN_TAG = "ferry:idempotency-token";

    private KmsKeys() {}

    /**
     * The live key tagged with {@code token}, if any. Walks every key in the region (one call per
     * key): it runs once per creation, and it is the only way back to a key whose CreateKey answer
     * was lost.
     */
    static Optional<KeyMetadata> findTagged(KmsClient kms, String token) {
        return kms.listKeysPaginator(r -> r.limit(100)).keys().stream()
                .filter(k -> taggedWith(kms, k.keyId(), token))
                .map(k -> kms.describeKey(r -> r.keyId(k.keyId())).keyMetadata())
                .filter(k -> k.keyState() != KeyState.PENDING_DELETION)
                .findFirst();
    }

    static boolean taggedWith(KmsClient kms, String keyId, String token) {
        try {
            return kms.listResourceTagsPaginator(r -> r.keyId(keyId)).tags().stream()
                    .anyMatch(t -> TOKEN_TAG.equals(t.tagKey()) && token.equals(t.tagValue()));
        } catch (KmsException unreadable) {
            // AWS-managed keys and keys of other principals may refuse to show their tags: not ours.
            return false;
        }
    }
}
