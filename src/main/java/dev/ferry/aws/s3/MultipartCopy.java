package dev.ferry.aws.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * A server-side copy of a large object in parts (UploadPartCopy), a few parts per call so no call
 * holds a worker for long. The upload id lives in the memo, so a new attempt continues the same
 * upload from the first missing part instead of starting over. Multipart copies carry no
 * metadata by themselves, so the source's content type and user metadata are set explicitly.
 */
final class MultipartCopy {

    static final int PARTS_PER_CALL = 2;
    private static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final S3Location source;
    private final S3Location target;
    private final HeadObjectResponse head;

    MultipartCopy(S3Client s3, S3Location source, S3Location target, HeadObjectResponse head) {
        this.s3 = s3;
        this.source = source;
        this.target = target;
        this.head = head;
    }

    /** One call's share of the work; {@code finish} builds the output from the completed target. */
    ActionResult step(ObjectNode progress, long requestedPartSize, Function<HeadObjectResponse, ObjectNode> finish) {
        ObjectNode memo = (ObjectNode) progress.get("memo");
        long partSize = Math.max(requestedPartSize, ceilDiv(head.contentLength(), MAX_PARTS));
        int parts = (int) ceilDiv(head.contentLength(), partSize);
        if (!memo.has("uploadId")) {
            memo.put("uploadId", create());
            memo.put("partSize", partSize);
            return ActionResult.inProgress(Duration.ZERO, progress, "started a multipart copy of " + parts + " parts");
        }
        String uploadId = memo.get("uploadId").asText();
        partSize = memo.path("partSize").asLong(partSize);
        parts = (int) ceilDiv(head.contentLength(), partSize);
        try {
            int next = progress.has("nextPart") ? progress.get("nextPart").asInt() : firstMissingPart(uploadId);
            int last = Math.min(parts, next + PARTS_PER_CALL - 1);
            for (int part = next; part <= last; part++) {
                copyPart(uploadId, part, partSize);
            }
            if (last < parts) {
                progress.put("nextPart", last + 1);
                return ActionResult.inProgress(Duration.ZERO, progress, "copied " + last + " of " + parts + " parts");
            }
            complete(uploadId);
        } catch (NoSuchUploadException gone) {
            // Only completion removes our upload: a call that completed it may have died before recording it.
            if (S3Objects.head(s3, target)
                    .map(h -> !h.contentLength().equals(head.contentLength()))
                    .orElse(true)) {
                throw gone;
            }
        }
        return ActionResult.succeeded(
                finish.apply(S3Objects.require(s3, target)).put("parts", parts));
    }

    private String create() {
        return s3.createMultipartUpload(r -> r.bucket(target.bucket())
                        .key(target.key())
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                        .contentType(head.contentType())
                        .contentEncoding(head.contentEncoding())
                        .cacheControl(head.cacheControl())
                        .contentDisposition(head.contentDisposition())
                        .metadata(head.metadata()))
                .uploadId();
    }

    private void copyPart(String uploadId, int part, long partSize) {
        long first = (part - 1) * partSize;
        long lastByte = Math.min(head.contentLength(), first + partSize) - 1;
        s3.uploadPartCopy(r -> r.sourceBucket(source.bucket())
                .sourceKey(source.key())
                .destinationBucket(target.bucket())
                .destinationKey(target.key())
                .uploadId(uploadId)
                .partNumber(part)
                .copySourceRange("bytes=" + first + "-" + lastByte)
                .copySourceIfMatch(head.eTag()));
    }

    private int firstMissingPart(String uploadId) {
        int expected = 1;
        for (Part part : listParts(uploadId)) {
            if (part.partNumber() != expected) {
                break;
            }
            expected++;
        }
        return expected;
    }

    private List<Part> listParts(String uploadId) {
        List<Part> parts = new ArrayList<>();
        s3.listPartsPaginator(r -> r.bucket(target.bucket()).key(target.key()).uploadId(uploadId))
                .parts()
                .forEach(parts::add);
        return parts;
    }

    private void complete(String uploadId) {
        List<CompletedPart> completed = listParts(uploadId).stream()
                .map(p -> CompletedPart.builder()
                        .partNumber(p.partNumber())
                        .eTag(p.eTag())
                        .checksumSHA256(p.checksumSHA256())
                        .build())
                .toList();
        s3.completeMultipartUpload(r -> r.bucket(target.bucket())
                .key(target.key())
                .uploadId(uploadId)
                .multipartUpload(u -> u.parts(completed)));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
