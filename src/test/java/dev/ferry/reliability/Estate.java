package dev.ferry.reliability;

import dev.ferry.support.AwsEmulator;
import dev.ferry.support.Jobs;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The AWS side of the reliability tests, in the emulator: resources to work on, and side effects to count. */
final class Estate {

    private static final S3Client S3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));
    private static final SsmClient SSM = AwsEmulator.client(SsmClient.builder());

    private Estate() {
    }

    /** A new bucket with versioning on (so every write shows), holding {@code seed.txt}. */
    static String versionedBucket(String prefix) {
        String bucket = Jobs.uniquePlanName(prefix).toLowerCase(Locale.ROOT);
        S3.createBucket(r -> r.bucket(bucket));
        S3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        S3.putObject(r -> r.bucket(bucket).key("seed.txt"), RequestBody.fromString("ferry reliability seed"));
        return bucket;
    }

    /** How many versions of {@code key} exist: 1 means it was written exactly once. */
    static int objectVersions(String bucket, String key) {
        return (int) S3.listObjectVersions(r -> r.bucket(bucket).prefix(key)).versions().stream()
                .filter(v -> v.key().equals(key)).count();
    }

    /** The parameter's version (1 = written once), or 0 if it does not exist. */
    static long parameterVersion(String name) {
        try {
            return SSM.getParameter(r -> r.name(name)).parameter().version();
        } catch (software.amazon.awssdk.services.ssm.model.ParameterNotFoundException e) {
            return 0;
        }
    }
}
