package dev.ferry.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses, before any argument is bound, what Spring would otherwise fail on inside (a 500): a
 * {@code Content-Type} that is a wildcard or does not parse (415), and a query parameter holding
 * a NUL character, which PostgreSQL cannot store or compare (400). Thrown from a handler
 * interceptor so {@link ProblemHandling} answers with the usual problem document.
 */
@Configuration(proxyBeanMethods = false)
class RequestScreening implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new Screen());
    }

    private static final class Screen implements HandlerInterceptor {

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                throws Exception {
            checkContentType(request);
            // The query string only: reading parameters of a form post would consume its body.
            String query = request.getQueryString();
            if (query != null && (query.contains("%00") || query.indexOf('\0') >= 0)) {
                throw new ServletRequestBindingException("Query parameters must not contain NUL characters.");
            }
            return true;
        }

        private static void checkContentType(HttpServletRequest request) throws HttpMediaTypeNotSupportedException {
            String header = request.getContentType();
            if (header == null || header.isBlank()) {
                return;
            }
            MediaType type;
            try {
                type = MediaType.parseMediaType(header);
            } catch (InvalidMediaTypeException e) {
                throw new HttpMediaTypeNotSupportedException("The Content-Type '" + header + "' does not parse.");
            }
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                throw new HttpMediaTypeNotSupportedException(
                        type, List.of(MediaType.APPLICATION_JSON), HttpMethod.valueOf(request.getMethod()));
            }
        }
    }
}
