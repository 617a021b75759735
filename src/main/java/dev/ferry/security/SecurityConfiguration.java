package dev.ferry.security;

import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The HTTP security rules. Reads under {@code /api/} and the probes and metrics are open, because
 * dashboards and scrapers poll them; every other method under {@code /api/} needs an identity.
 * Stateless, and CSRF is off: callers are scripts and services sending headers, not browsers with
 * cookies, so there is no ambient credential to forge.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableMethodSecurity
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ProblemResponseWriter problems) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // The one line to replace when real authentication arrives (e.g. oauth2ResourceServer).
                .addFilterBefore(new HeaderActorFilter(problems), AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(new ProblemAuthenticationEntryPoint(problems))
                        .accessDeniedHandler(new ProblemAccessDeniedHandler(problems)))
                .authorizeHttpRequests(requests -> requests
                        // Error and async dispatches re-enter the chain; the original request was checked.
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/**").permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/api/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                                .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/actuator/info").permitAll()
                        // Alerting systems authenticate with their own bearer token, checked by the alert intake.
                        .requestMatchers(HttpMethod.POST, "/api/v1/alerts/**").permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().authenticated());
        return http.build();
    }
}
