package dev.ferry.aws.sandbox;

import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** The KMS key {@code alias/fluxion-efs} that the encrypted file system will use. */
final class EncryptionKeySeed {

    static final String ALIAS = "alias/fluxion-efs";

    private final KmsClient kms;

    EncryptionKeySeed(KmsClient kms) {
        this.kms = kms;
    }

    /** The key's ARN. The alias is the identity: a key without it is not ours. */
    String seed() {
        String keyId = kms.listAliasesPaginator().aliases().stream()
                .filter(a -> ALIAS.equals(a.aliasName()) && a.targetKeyId() != null)
                .map(AliasListEntry::targetKeyId)
                .findFirst()
                .orElseGet(this::create);
        return kms.describeKey(r -> r.keyId(keyId)).keyMetadata().arn();
    }

    private String create() {
        KeyMetadata key = kms.createKey(r -> r.description("Fluxion EFS encryption (Ferry sandbox)")
                        .tags(t -> t.tagKey("Project").tagValue("fluxion")))
                .keyMetadata();
        kms.createAlias(r -> r.aliasName(ALIAS).targetKeyId(key.keyId()));
        return key.keyId();
    }
}
