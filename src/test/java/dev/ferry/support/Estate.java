package dev.ferry.support;

import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** The AWS side of the reliability tests, in the emulator: resources to work on, and side effects to count. */
public final class Estate {

    private static final S3Client S3 = AwsEmulator.client(S3Client.builder().forcePathStyle(true));
    private static final SsmClient SSM = AwsEmulator.client(SsmClient.builder());

    private Estate() {}

    /** A new bucket with versioning on (so every write shows), holding {@code seed.txt}. */
    public static String versionedBucket(String prefix) {
        String bucket = Jobs.uniquePlanName(prefix).toLowerCase(Locale.ROOT);
        S3.createBucket(r -> r.bucket(bucket));
        S3.putBucketVersioning(
                r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        S3.putObject(r -> r.bucket(bucket).key("seed.txt"), RequestBody.fromString("ferry reliability seed"));
        return bucket;
    }

    /** How many versions of {@code key} exist: 1 means it was written exactly once. */
    public static int objectVersions(String bucket, String key) {
        return (int) S3.listObjectVersions(r -> r.bucket(bucket).prefix(key)).versions().stream()
                .filter(v -> v.key().equals(key))
                .count();
    }

    /** The parameter's version (1 = written once), or 0 if it does not exist. */
    public static long parameterVersion(String name) {
        try {
            return SSM.getParameter(r -> r.name(name)).parameter().version();
        } catch (ParameterNotFoundException e) {
            return 0;
        }
    }

    /** The parameter's current value, or {@code null} if it does not exist. */
    public static String parameterValue(String name) {
        try {
            return SSM.getParameter(r -> r.name(name)).parameter().value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }
}
