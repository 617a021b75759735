package dev.ferry.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's last word on an error no application code saw (a URI it cannot decode, {@code %00},
 * an encoded slash): a problem document instead of Tomcat's HTML page. Installed as the host's
 * error report valve by {@link ProblemErrorPages}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String slug = ProblemTypes.forStatus(status);
        String title = ProblemTypes.title(slug) != null ? ProblemTypes.title(slug) : "HTTP " + status;
        try {
            response.resetBuffer();
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"" + ProblemTypes.uri(slug) + "\",\"title\":\"" + title + "\",\"status\":"
                        + status + ",\"detail\":\"The request was rejected before it reached Ferry.\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away; nothing more to tell it
        }
    }
}
