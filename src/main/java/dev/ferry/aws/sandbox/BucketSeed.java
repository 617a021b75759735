package dev.ferry.aws.sandbox;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** The backups bucket the runbooks copy the database file to before anything changes. */
final class BucketSeed {

    static final String BACKUPS = "fluxion-backups-v4-611395766952";

    private final S3Client s3;
    private final String region;

    BucketSeed(S3Client s3, String region) {
        this.s3 = s3;
        this.region = region;
    }

    String seed() {
        try {
            s3.headBucket(r -> r.bucket(BACKUPS));
        } catch (NoSuchBucketException missing) {
            // us-east-1 is the one region that refuses an explicit location constraint.
            s3.createBucket(r -> {
                r.bucket(BACKUPS);
                if (!"us-east-1".equals(region)) {
                    r.createBucketConfiguration(c -> c.locationConstraint(region));
                }
            });
            s3.putBucketTagging(r -> r.bucket(BACKUPS)
                    .tagging(t -> t.tagSet(s -> s.key("Project").value("fluxion"))));
        }
        return BACKUPS;
    }
}
