package dev.ferry.preflight;

import java.util.Map;
import java.util.Set;

/**
 * Port: may the principal a job's steps act as call these APIs? Answers for one target (a region,
 * and the role the steps assume there, or null for the service's own credentials). Read-only: it
 * never calls the APIs it asks about.
 */
public interface PermissionSimulation {

    Outcome simulate(String region, String roleArn, Set<String> iamActions);

    /**
     * @param simulated false when the answer could not be had (the API is not implemented, or the
     *     service may not call it): {@code reason} says why and {@code decisions} is empty
     * @param principal who was simulated (an IAM user or role ARN), when known
     * @param decisions IAM action → decision ({@code allowed}, {@code implicitDeny}, {@code explicitDeny})
     */
    record Outcome(boolean simulated, String principal, Map<String, String> decisions, String reason) {

        public static Outcome unavailable(String principal, String reason) {
            return new Outcome(false, principal, Map.of(), reason);
        }
    }
}
