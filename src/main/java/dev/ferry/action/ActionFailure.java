package dev.ferry.action;

/** Thrown by a handler to fail the call with a classified error. */
public class ActionFailure extends RuntimeException {

    private final boolean retryable;
    private final String code;

    public ActionFailure(boolean retryable, String code, String message, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.code = code;
    }

    public ActionFailure(boolean retryable, String code, String message) {
        this(retryable, code, message, null);
    }

    public boolean retryable() {
        return retryable;
    }

    public String code() {
        return code;
    }

    public ActionResult.Failed toResult() {
        return ActionResult.failed(retryable, code, getMessage());
    }
}
