package dev.ferry.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the servlet container's error dispatch shows ({@code /error}): errors raised before Spring
 * MVC, such as a request the security firewall rejects ({@code ..}, {@code ;}, encoded slashes),
 * get the same problem document as everything else instead of Boot's {@code {"timestamp"...}}.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value && value >= 400 ? value : 500;
        String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        String detail = status == 400
                ? "The request was rejected: its path or headers are not acceptable."
                : status >= 500
                        ? "Something went wrong on Ferry's side."
                        : HttpStatus.valueOf(status).getReasonPhrase() + ".";
        ProblemDetail problem =
                ProblemHandling.problem(HttpStatusCode.valueOf(status), ProblemTypes.forStatus(status), detail);
        problem.setInstance(URI.create(safePath(path)));
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** The rejected path may itself be what was wrong with the request; keep only harmless characters. */
    private static String safePath(String path) {
        return path == null ? "" : path.replaceAll("[^A-Za-z0-9/._-]", "_");
    }
}
