package dev.ferry.aws.s3;

import dev.ferry.action.ActionFailure;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Small lookups every S3 action needs. */
final class S3Objects {

    private S3Objects() {
    }

    /** The object's metadata with its stored checksums, or empty when there is no such object. */
    static Optional<HeadObjectResponse> head(S3Client s3, S3Location location) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(location.bucket()).key(location.key())
                    .checksumMode(ChecksumMode.ENABLED)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static HeadObjectResponse require(S3Client s3, S3Location location) {
        return head(s3, location).orElseThrow(() -> new ActionFailure(false, "NoSuchKey",
                "S3 object " + location.uri() + " does not exist"));
    }
}
