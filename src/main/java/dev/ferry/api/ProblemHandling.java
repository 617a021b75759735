package dev.ferry.api;

import dev.ferry.common.FerryException;
import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception that reaches Spring MVC into an RFC 9457 problem with a stable
 * {@code type}. Details are written for the caller and never carry a stack trace or the message of
 * an unexpected exception: those are logged under an {@code errorId} the response names instead.
 */
@RestControllerAdvice
public class ProblemHandling extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

    static ProblemDetail problem(HttpStatusCode status, String slug, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ProblemTypes.uri(slug));
        String title = ProblemTypes.title(slug);
        problem.setTitle(
                title != null ? title : HttpStatus.valueOf(status.value()).getReasonPhrase());
        return problem;
    }

    @ExceptionHandler(FerryException.class)
    ResponseEntity<Object> handleFerry(FerryException refusal, WebRequest request) {
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(refusal.status()), refusal.getMessage());
        problem.setType(ProblemTypes.uri(refusal.problemType()));
        problem.setTitle(refusal.title());
        refusal.properties().forEach(problem::setProperty);
        HttpHeaders headers = new HttpHeaders();
        if (refusal.retryAfter() != null) {
            headers.set(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, (refusal.retryAfter().toMillis() + 999) / 1000)));
        }
        return respond(refusal, problem, headers, request);
    }

    /**
     * The job changed under this request on every try (the engine retries a version conflict or a
     * deadlock itself), or a lock could not be had: nothing of it was written, and sending it again
     * is safe. A deadlock or lock timeout is the same answer as a version conflict, not a 500.
     */
    @ExceptionHandler(ConcurrencyFailureException.class)
    ResponseEntity<Object> handleConcurrentChange(ConcurrencyFailureException conflict, WebRequest request) {
        log.info("Concurrent change on {} {}: {}", method(request), path(request), conflict.getMessage());
        return respond(
                conflict,
                problem(
                        HttpStatus.CONFLICT,
                        ProblemTypes.CONCURRENT_CHANGE,
                        "Another request changed the same data at the same time; this request's change was not applied."
                                + " Send it again."),
                new HttpHeaders(),
                request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> handleConstraintViolation(ConstraintViolationException invalid, WebRequest request) {
        List<Map<String, String>> errors = invalid.getConstraintViolations().stream()
                .map(v -> fieldError(String.valueOf(v.getPropertyPath()), v.getMessage()))
                .toList();
        return respond(invalid, validationFailed(errors), new HttpHeaders(), request);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<Object> handlePayloadTooLarge(PayloadTooLargeException tooLarge, WebRequest request) {
        return respond(tooLarge, UnreadableBodyProblems.describe(tooLarge), new HttpHeaders(), request);
    }

    /** Security decides between 401 and 403 (ExceptionTranslationFilter), so these go back to it. */
    @ExceptionHandler({AccessDeniedException.class, AuthenticationException.class})
    void handleSecurity(RuntimeException denied) {
        throw denied;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception error, WebRequest request) {
        if (PayloadTooLargeException.findIn(error) != null) {
            return respond(error, UnreadableBodyProblems.describe(error), new HttpHeaders(), request);
        }
        if (DatabaseFailures.unavailable(error)) {
            log.warn("Database unavailable on {} {}: {}", method(request), path(request), error.getMessage());
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseFailures.RETRY_AFTER.toSeconds()));
            return respond(
                    error,
                    problem(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            ProblemTypes.SERVICE_UNAVAILABLE,
                            "The database is not reachable right now; nothing was changed. Try again shortly."),
                    headers,
                    request);
        }
        if (DatabaseFailures.nulCharacter(error)) {
            return respond(
                    error,
                    problem(
                            HttpStatus.BAD_REQUEST,
                            ProblemTypes.INVALID_VALUE,
                            "Text must not contain NUL (\\u0000) characters."),
                    new HttpHeaders(),
                    request);
        }
        return respond(error, internalError(error, request), new HttpHeaders(), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException unreadable,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        ProblemDetail problem =
                UnreadableBodyProblems.describe(unreadable.getCause() != null ? unreadable.getCause() : unreadable);
        return respond(unreadable, problem, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException invalid, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        invalid.getBindingResult()
                .getFieldErrors()
                .forEach(error -> errors.add(fieldError(error.getField(), error.getDefaultMessage())));
        invalid.getBindingResult()
                .getGlobalErrors()
                .forEach(error -> errors.add(fieldError(error.getObjectName(), error.getDefaultMessage())));
        return respond(invalid, validationFailed(errors), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException invalid, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        invalid.getAllValidationResults().forEach(result -> {
            String parameter = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                String field =
                        error instanceof FieldError fieldError ? parameter + "." + fieldError.getField() : parameter;
                errors.add(fieldError(field, error.getDefaultMessage()));
            }
        });
        return respond(invalid, validationFailed(errors), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException missing,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        ProblemDetail problem = problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.INVALID_PARAMETER,
                "The query parameter '" + missing.getParameterName() + "' is required.");
        problem.setProperty("parameter", missing.getParameterName());
        return respond(missing, problem, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException mismatch, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = mismatch.getPropertyName() != null ? mismatch.getPropertyName() : "parameter";
        String expected = UnreadableBodyProblems.expectedType(mismatch.getRequiredType());
        String value = String.valueOf(mismatch.getValue());
        value = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        ProblemDetail problem = problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.INVALID_PARAMETER,
                "The parameter '" + name + "' must be " + expected + ", got '" + value + "'.");
        problem.setProperty("parameter", name);
        problem.setProperty("expected", expected);
        return respond(mismatch, problem, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(
            ServletRequestBindingException binding, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Spring's own details here ("Required header 'X' is not present.") are written for callers.
        return respond(
                binding,
                problem(
                        HttpStatus.BAD_REQUEST,
                        ProblemTypes.INVALID_PARAMETER,
                        binding.getBody().getDetail()),
                headers,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(
            MissingServletRequestPartException missing,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return respond(
                missing,
                problem(
                        HttpStatus.BAD_REQUEST,
                        ProblemTypes.INVALID_PARAMETER,
                        "The request part '" + missing.getRequestPartName() + "' is required."),
                headers,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(
            HttpRequestMethodNotSupportedException refused,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        String allowed = refused.getSupportedHttpMethods() == null
                ? ""
                : "; allowed: "
                        + String.join(
                                ", ",
                                refused.getSupportedHttpMethods().stream()
                                        .map(Object::toString)
                                        .toList());
        return respond(
                refused,
                problem(
                        HttpStatus.METHOD_NOT_ALLOWED,
                        ProblemTypes.METHOD_NOT_ALLOWED,
                        refused.getMethod() + " is not supported on " + path(request) + allowed + "."),
                headers,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException refused,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        String given = refused.getContentType() == null ? "no content type" : "'" + refused.getContentType() + "'";
        return respond(
                refused,
                problem(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                        "The request body has " + given + "; send one of " + refused.getSupportedMediaTypes() + "."),
                headers,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(
            HttpMediaTypeNotAcceptableException refused,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return respond(
                refused,
                problem(
                        HttpStatus.NOT_ACCEPTABLE,
                        ProblemTypes.NOT_ACCEPTABLE,
                        "None of the types in Accept can be produced; available: " + refused.getSupportedMediaTypes()
                                + "."),
                headers,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleNoHandlerFoundException(
            NoHandlerFoundException missing, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return respond(missing, notFound(missing.getHttpMethod(), missing.getRequestURL()), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(
            NoResourceFoundException missing, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return respond(missing, notFound(missing.getHttpMethod().name(), path(request)), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException tooLarge, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return respond(
                tooLarge,
                problem(
                        HttpStatus.PAYLOAD_TOO_LARGE,
                        ProblemTypes.PAYLOAD_TOO_LARGE,
                        "The upload is larger than the limit."),
                headers,
                request);
    }

    /**
     * Every response of this class passes here: it names a stable type for what the handlers above
     * did not cover, hides server-side details, and forces {@code application/problem+json} even
     * when the client asked for {@code application/json} only.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception error, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail given
                ? given
                : error instanceof ErrorResponse response ? response.getBody() : ProblemDetail.forStatus(status);
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            problem = status.is5xxServerError() ? internalError(error, request) : retype(problem, status);
        }
        HttpHeaders problemHeaders = new HttpHeaders();
        problemHeaders.addAll(headers);
        problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return super.handleExceptionInternal(error, problem, problemHeaders, status, request);
    }

    private ResponseEntity<Object> respond(
            Exception error, ProblemDetail problem, HttpHeaders headers, WebRequest request) {
        return handleExceptionInternal(error, problem, headers, HttpStatusCode.valueOf(problem.getStatus()), request);
    }

    private static ProblemDetail retype(ProblemDetail given, HttpStatusCode status) {
        ProblemDetail problem = problem(status, ProblemTypes.forStatus(status.value()), given.getDetail());
        if (given.getProperties() != null) {
            given.getProperties().forEach(problem::setProperty);
        }
        return problem;
    }

    private static ProblemDetail internalError(Exception error, WebRequest request) {
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected error {} on {} {}", errorId, method(request), path(request), error);
        ProblemDetail problem = problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                ProblemTypes.INTERNAL_ERROR,
                "Something went wrong on Ferry's side. It has been logged as " + errorId + ".");
        problem.setProperty("errorId", errorId);
        return problem;
    }

    private static ProblemDetail notFound(String method, String path) {
        return problem(
                HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "There is nothing at " + method + " " + path + ".");
    }

    private static ProblemDetail validationFailed(List<Map<String, String>> errors) {
        ProblemDetail problem = problem(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.VALIDATION_FAILED,
                errors.size() == 1 ? "1 field is invalid." : errors.size() + " fields are invalid.");
        problem.setProperty("errors", errors);
        return problem;
    }

    private static Map<String, String> fieldError(String field, String message) {
        return Map.of("field", field, "message", message == null ? "is invalid" : message);
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getRequestURI()
                : "this path";
    }

    private static String method(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getMethod()
                : "?";
    }
}
