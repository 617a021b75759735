/**
 * The HTTP API: controllers, request and response records, and how refusals look on the wire.
 * Every error is an RFC 9457 problem ({@code application/problem+json}) whose {@code type} is
 * {@code https://ferry.dev/problems/<slug>} with a slug from {@link dev.ferry.api.ProblemTypes};
 * {@link dev.ferry.api.ProblemHandling} maps exceptions to them and never shows a stack trace or an
 * internal exception message. Nothing else depends on this package.
 */
package dev.ferry.api;
