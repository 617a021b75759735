package dev.ferry.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * HTTP API settings ({@code ferry.api.*}).
 *
 * @param maxBodyBytes request bodies larger than this are refused with 413 before they are read
 * @param viewCacheBytes memory for rendered job views, reused while their ETag stays the same
 */
@ConfigurationProperties("ferry.api")
public record ApiProperties(
        @DefaultValue("1048576") long maxBodyBytes, @DefaultValue("16777216") long viewCacheBytes) {}
