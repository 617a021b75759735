package dev.ferry.approval;

import dev.ferry.common.FerryException;
import java.util.UUID;

/** No decision on the job was given for a preview with that hash. */
public class PreviewNotFoundException extends FerryException {

    public PreviewNotFoundException(UUID jobId, String sha256) {
        super(
                "preview-not-found",
                404,
                "Preview not found",
                "No approval of job " + jobId + " was given for a preview with sha256 " + sha256);
    }
}
