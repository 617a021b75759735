package dev.ferry.api;

import dev.ferry.security.ProblemResponseWriter;
import java.net.URI;
import java.util.Map;

/**
 * The stable slugs of Ferry's problem types. Clients match on {@code type}, so a slug, once
 * published, is never renamed. Capabilities add their own through
 * {@link dev.ferry.common.FerryException#problemType()}.
 */
public final class ProblemTypes {

    public static final String BASE = ProblemResponseWriter.TYPE_BASE;

    public static final String MALFORMED_BODY = "malformed-body";
    public static final String UNKNOWN_FIELD = "unknown-field";
    public static final String INVALID_VALUE = "invalid-value";
    public static final String VALIDATION_FAILED = "validation-failed";
    public static final String INVALID_PARAMETER = "invalid-parameter";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String NOT_ACCEPTABLE = "not-acceptable";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String NOT_FOUND = "not-found";
    public static final String CONFLICT = "conflict";
    /** Another request changed the same data at the same moment (a version conflict); sending it again is safe. */
    public static final String CONCURRENT_CHANGE = "concurrent-change";

    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
    public static final String SERVICE_UNAVAILABLE = "service-unavailable";
    public static final String INTERNAL_ERROR = "internal-error";
    /** Written by the security filters, before Spring MVC. */
    public static final String UNAUTHENTICATED = ProblemResponseWriter.UNAUTHENTICATED;

    public static final String FORBIDDEN = ProblemResponseWriter.FORBIDDEN;
    public static final String INVALID_TOKEN = ProblemResponseWriter.INVALID_TOKEN;

    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry(MALFORMED_BODY, "Malformed request body"),
            Map.entry(UNKNOWN_FIELD, "Unknown field"),
            Map.entry(INVALID_VALUE, "Invalid value"),
            Map.entry(VALIDATION_FAILED, "Validation failed"),
            Map.entry(INVALID_PARAMETER, "Invalid parameter"),
            Map.entry(UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
            Map.entry(NOT_ACCEPTABLE, "Not acceptable"),
            Map.entry(METHOD_NOT_ALLOWED, "Method not allowed"),
            Map.entry(NOT_FOUND, "Not found"),
            Map.entry(CONFLICT, "Conflict"),
            Map.entry(CONCURRENT_CHANGE, "Concurrent change"),
            Map.entry(PAYLOAD_TOO_LARGE, "Payload too large"),
            Map.entry(SERVICE_UNAVAILABLE, "Service unavailable"),
            Map.entry(INTERNAL_ERROR, "Internal error"));

    private ProblemTypes() {}

    public static URI uri(String slug) {
        return URI.create(BASE + slug);
    }

    /** The title for one of the slugs above, or null for a slug defined elsewhere. */
    public static String title(String slug) {
        return TITLES.get(slug);
    }

    /** The slug for an error that arrives with nothing but a status (e.g. ResponseStatusException). */
    public static String forStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_PARAMETER;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : "http-" + status;
        };
    }
}
