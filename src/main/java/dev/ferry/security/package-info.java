/**
 * Who is calling. For now identity comes from the {@code X-Ferry-User} and {@code X-Ferry-Roles}
 * headers ({@link dev.ferry.security.HeaderActorFilter}), which assumes a trusted proxy or a trusted
 * network in front of Ferry; real authentication (OIDC/JWT) replaces that one filter in
 * {@link dev.ferry.security.SecurityConfiguration}. Everything else reads the caller as a
 * {@link dev.ferry.common.Actor} through {@link dev.ferry.security.CurrentActor}, which maps any
 * Spring Security {@code Authentication}, so controllers and the domain do not change when the
 * mechanism does. Reads are open; every change under {@code /api/} needs an identity.
 */
package dev.ferry.security;
