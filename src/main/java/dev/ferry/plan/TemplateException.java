package dev.ferry.plan;

/** A template that is malformed or whose path has no value in the scope it was resolved against. */
public class TemplateException extends RuntimeException {

    private final String path;

    public TemplateException(String path, String message) {
        super(message);
        this.path = path;
    }

    /** The path inside {@code ${...}}, as written. */
    public String path() {
        return path;
    }
}
