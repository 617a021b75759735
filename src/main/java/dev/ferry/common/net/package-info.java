/**
 * Outbound HTTP to addresses that job authors choose ({@code http.check} URLs, a job's own webhook
 * and Slack targets): an {@link dev.ferry.common.net.AddressPolicy} says which addresses may be
 * reached, and {@link dev.ferry.common.net.GuardedHttpClients} builds clients that resolve a host
 * once, check every address against the policy and connect only to the addresses checked, so a
 * name that changes its answer (DNS rebinding) cannot switch the connection elsewhere.
 */
package dev.ferry.common.net;
