package dev.ferry.job;

import dev.ferry.common.FerryException;
import java.util.UUID;

/** No job with that id. */
public class JobNotFoundException extends FerryException {

    public JobNotFoundException(UUID id) {
        super("job-not-found", 404, "Job not found", "No job with id " + id);
    }
}
