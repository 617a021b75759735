package dev.ferry.security;

import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Who may do what. Every request under {@code /api/} carries a bearer token: a static API token
 * ({@link StaticTokens}) or, when Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.*}
 * configures a decoder, a JWT from the organisation's OIDC provider. Both may be on at once: a
 * JWT-shaped token goes to the JWT decoder, any other to the static table. Which role each endpoint
 * needs is the table below (and the README); {@code EndpointRoleMatrixIT} checks every mapped
 * endpoint against it. Stateless, and CSRF is off: callers send a bearer header, never a cookie,
 * so there is no ambient credential to forge.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableMethodSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    private static final String JOBS = "/api/v1/jobs";
    private static final String CAMPAIGNS = "/api/v1/campaigns";

    private static final String CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    static RoleHierarchy roleHierarchy() {
        return Roles.hierarchy();
    }

    @Bean
    StaticTokens staticTokens(
            SecurityProperties properties, ConfigurableEnvironment environment, ObjectProvider<Clock> clocks) {
        return new PublishedTokens(properties, environment).tokens(clocks.getIfAvailable(Clock::systemUTC));
    }

    /**
     * The operator console's static files ({@code /console/**}) hold no data, so they load without
     * credentials; every API call the console makes carries the bearer token the operator entered.
     * A strict Content-Security-Policy (own origin only, no inline script or style) keeps API data
     * that reaches the page (job names, step outputs, AWS errors) from ever running as code.
     */
    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/console", "/console/**")
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONSOLE_CSP))
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .authorizeHttpRequests(requests -> requests.requestMatchers(HttpMethod.GET, "/console", "/console/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/console", "/console/**")
                        .permitAll()
                        .anyRequest()
                        .denyAll());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurity(
            HttpSecurity http,
            ProblemResponseWriter problems,
            StaticTokens tokens,
            ObjectProvider<JwtDecoder> jwtDecoder,
            SecurityProperties properties)
            throws Exception {
        AuthenticationManager bearer = bearerAuthentication(tokens, jwtDecoder.getIfAvailable(), properties.jwt());
        var entryPoint = new ProblemAuthenticationEntryPoint(problems);
        var denied = new ProblemAccessDeniedHandler(problems);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(server -> server.authenticationManagerResolver(request -> bearer)
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(denied))
                .exceptionHandling(
                        errors -> errors.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
                .authorizeHttpRequests(requests -> requests
                        // Error and async dispatches re-enter the chain; the original request was checked.
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                        .permitAll()
                        // Probes: the kubelet and load balancers send no credentials, and health says nothing secret.
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                        .permitAll()
                        .requestMatchers(
                                HttpMethod.GET,
                                "/v3/api-docs",
                                "/v3/api-docs.yaml",
                                "/v3/api-docs/**",
                                "/swagger-ui/**",
                                "/swagger-ui.html")
                        .permitAll()
                        // SNS cannot send an Authorization header: each delivery is authenticated by its
                        // signature (SnsMessages verifies it against SNS's own certificate) before anything happens.
                        .requestMatchers(HttpMethod.POST, "/api/v1/alerts/sns")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/alerts/alertmanager", "/api/v1/alerts/generic")
                        .hasRole(Roles.ALERTER)
                        .requestMatchers(HttpMethod.POST, "/api/v1/plans")
                        .hasRole(Roles.ADMIN)
                        // A preview touches nothing: whoever may read plans may preview them.
                        .requestMatchers(HttpMethod.POST, "/api/v1/plans/*/preview")
                        .hasRole(Roles.VIEWER)
                        // A manual step names its own role (operator, dba, ...); ManualSteps checks it.
                        .requestMatchers(HttpMethod.POST, JOBS + "/*/steps/*/complete", JOBS + "/*/steps/*/decline")
                        .authenticated()
                        .requestMatchers(HttpMethod.POST, JOBS + "/*/phases/*/approve", JOBS + "/*/phases/*/reject")
                        .hasRole(Roles.APPROVER)
                        // A wave's approval and a fleet approval of a phase are approvals: the approver role.
                        .requestMatchers(
                                HttpMethod.POST,
                                CAMPAIGNS + "/*/waves/*/approve",
                                CAMPAIGNS + "/*/waves/*/phases/*/approve")
                        .hasRole(Roles.APPROVER)
                        .requestMatchers(HttpMethod.POST, CAMPAIGNS, CAMPAIGNS + "/*/*")
                        .hasRole(Roles.OPERATOR)
                        .requestMatchers(
                                HttpMethod.POST,
                                JOBS,
                                JOBS + "/*/*",
                                JOBS + "/*/phases/*/not-before",
                                JOBS + "/*/steps/*/skip",
                                JOBS + "/*/steps/*/compensation/*")
                        .hasRole(Roles.OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/api/**")
                        .hasRole(Roles.VIEWER)
                        .requestMatchers(HttpMethod.HEAD, "/api/**")
                        .hasRole(Roles.VIEWER)
                        // Metrics name jobs and plans; scrapers send a viewer token (Prometheus:
                        // authorization.credentials_file).
                        .requestMatchers(HttpMethod.GET, "/actuator/prometheus")
                        .hasRole(Roles.VIEWER)
                        // Unmapped paths and methods under /api/: a known caller gets the plain 404/405.
                        .requestMatchers("/api/**")
                        .hasRole(Roles.VIEWER)
                        .anyRequest()
                        .denyAll());
        return http.build();
    }

    private static AuthenticationManager bearerAuthentication(
            StaticTokens tokens, JwtDecoder jwtDecoder, SecurityProperties.Jwt jwt) {
        List<AuthenticationProvider> providers = new ArrayList<>();
        providers.add(new StaticTokenAuthenticationProvider(tokens, jwtDecoder != null));
        if (jwtDecoder != null) {
            JwtAuthenticationProvider jwts = new JwtAuthenticationProvider(jwtDecoder);
            jwts.setJwtAuthenticationConverter(new JwtRolesConverter(jwt, tokens::collidesWith));
            providers.add(new JwtShapedTokenProvider(jwts));
        }
        log.info(
                "Bearer authentication: {} static API token(s), JWTs {}",
                tokens.size(),
                jwtDecoder == null ? "off (no spring.security.oauth2.resourceserver.jwt.*)" : "on");
        if (tokens.isEmpty() && jwtDecoder == null) {
            log.warn("No API token and no JWT issuer is configured: every request except the probes is refused");
        }
        return new ProviderManager(providers);
    }
}
