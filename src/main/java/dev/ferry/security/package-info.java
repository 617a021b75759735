/**
 * Who is calling, and what they may do. Callers send {@code Authorization: Bearer <token>}: a static
 * API token ({@link dev.ferry.security.StaticTokens}, configured by its SHA-256) or a JWT from an
 * OIDC provider. {@link dev.ferry.security.SecurityConfiguration} maps endpoints to
 * {@link dev.ferry.security.Roles}. Everything else reads the caller as a
 * {@link dev.ferry.common.Actor} through {@link dev.ferry.security.CurrentActor}, which maps any
 * Spring Security {@code Authentication}, so controllers and the domain do not change when the
 * mechanism does.
 */
package dev.ferry.security;
