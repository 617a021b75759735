package dev.ferry.plan;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Plan settings ({@code ferry.plans.*}).
 *
 * @param directory a directory of further plans ({@code *.yaml}, e.g. a mounted ConfigMap),
 *     registered like the built-in ones at every start; none when empty
 */
@ConfigurationProperties("ferry.plans")
public record PlanProperties(String directory) {}
