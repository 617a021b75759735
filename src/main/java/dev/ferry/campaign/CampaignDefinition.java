package dev.ferry.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A campaign as validated at creation: its targets, each placed in exactly one wave, the waves in
 * order, and the failure policy. Stored as JSON with the campaign; never changes afterwards.
 */
public record CampaignDefinition(List<Wave> waves, FailurePolicy failurePolicy) {

    public CampaignDefinition {
        waves = List.copyOf(waves);
    }

    /** One target: a parameter set for the plan, with labels that waves may select on. */
    public record Target(String name, Map<String, String> labels, ObjectNode parameters) {

        public Target {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * A wave: its targets (by name, in order), how many of its jobs may run at once, an optional
     * approval before its first job, and an optional soak after its last one.
     */
    public record Wave(String name, List<String> targets, int maxConcurrent, WaveApproval approval, Duration soak) {

        public Wave {
            targets = List.copyOf(targets);
        }
    }

    /**
     * Who must approve a wave before it starts: the rules of a phase approval.
     *
     * @param separationOfDuties the campaign's creator may not approve (four-eyes)
     * @param expiresAfter an approval older than this no longer counts; null for never
     */
    public record WaveApproval(int required, List<String> roles, boolean separationOfDuties, Duration expiresAfter) {

        public WaveApproval {
            roles = List.copyOf(roles);
        }
    }
}
