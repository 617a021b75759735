package dev.ferry.aws.s3;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * What identifies an object's content without reading it: size, ETag and any full-object checksums
 * S3 holds. Comparison uses the strongest evidence both sides share: a common checksum algorithm,
 * else the ETag (an MD5 only for single-part, non-KMS objects), else the size alone.
 */
public record ObjectFingerprint(long size, String eTag, Map<String, String> checksums, boolean kmsEncrypted) {

    /** How two fingerprints were compared. {@code SIZE} is weak: it cannot see changed bytes. */
    public enum Basis {
        CHECKSUM,
        ETAG,
        SIZE
    }

    public record Comparison(Basis basis, String algorithm, boolean equal) {

        public boolean strongMatch() {
            return equal && basis != Basis.SIZE;
        }

        public String describe() {
            return basis == Basis.CHECKSUM ? algorithm : basis.name();
        }
    }

    static ObjectFingerprint of(HeadObjectResponse head) {
        Map<String, String> checksums = new LinkedHashMap<>();
        putFull(checksums, "SHA256", head.checksumSHA256());
        putFull(checksums, "SHA1", head.checksumSHA1());
        putFull(checksums, "CRC64NVME", head.checksumCRC64NVME());
        putFull(checksums, "CRC32C", head.checksumCRC32C());
        putFull(checksums, "CRC32", head.checksumCRC32());
        return new ObjectFingerprint(
                head.contentLength(),
                head.eTag(),
                checksums,
                head.serverSideEncryption() == ServerSideEncryption.AWS_KMS
                        || head.serverSideEncryption() == ServerSideEncryption.AWS_KMS_DSSE);
    }

    /** From a listing: no checksum values, and the encryption is unknown. */
    static ObjectFingerprint of(S3Object listed) {
        return new ObjectFingerprint(listed.size(), listed.eTag(), Map.of(), false);
    }

    // A composite checksum ("...-3") depends on the part layout, so it never equals a copy's.
    private static void putFull(Map<String, String> checksums, String algorithm, String value) {
        if (value != null && !value.contains("-")) {
            checksums.put(algorithm, value);
        }
    }

    public String sha256() {
        return checksums.get("SHA256");
    }

    boolean plainETag() {
        return eTag != null && !eTag.contains("-") && !kmsEncrypted;
    }

    public Comparison compare(ObjectFingerprint other) {
        if (size != other.size) {
            return new Comparison(Basis.SIZE, null, false);
        }
        for (Map.Entry<String, String> checksum : checksums.entrySet()) {
            String theirs = other.checksums.get(checksum.getKey());
            if (theirs != null) {
                return new Comparison(
                        Basis.CHECKSUM, checksum.getKey(), checksum.getValue().equals(theirs));
            }
        }
        if (plainETag() && other.plainETag()) {
            return new Comparison(Basis.ETAG, null, eTag.equals(other.eTag));
        }
        return new Comparison(Basis.SIZE, null, true);
    }
}
