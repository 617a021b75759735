/**
 * Route 53 actions: the DNS cutover (upsert one record set, or shift the weights of weighted
 * records), each remembering the previous records so compensation restores them, and each
 * waiting for Route 53 to report the change {@code INSYNC} without holding a thread.
 */
package dev.ferry.aws.route53;
