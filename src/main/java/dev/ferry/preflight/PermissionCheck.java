package dev.ferry.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.action.PlannedCall;
import dev.ferry.action.PreflightFinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Whether the principal of each target (region, role) may call every IAM action that the steps
 * and compensations planned there, by one simulation per target. Where simulation is unavailable
 * the report says so (a warning): only the handlers' own dry runs (EC2) then check permissions.
 */
@Component
class PermissionCheck {

    private final PermissionSimulation simulation;

    PermissionCheck(PermissionSimulation simulation) {
        this.simulation = simulation;
    }

    /** Where a call is made: the region and role its step names (null: the service's defaults). */
    record Target(String region, String roleArn) {}

    /** Who needs an action: a step, or its compensation. */
    record Need(String step, String part) {}

    /** The IAM actions needed per target, and by whom; filled while the steps are checked. */
    static final class Needs {

        private final Map<Target, Map<String, Set<Need>>> byTarget = new LinkedHashMap<>();

        void add(String step, String part, JsonNode with, List<PlannedCall> calls) {
            Target target = new Target(text(with, "region"), text(with, "roleArn"));
            for (PlannedCall call : calls) {
                for (String action : call.iamActions()) {
                    byTarget.computeIfAbsent(target, t -> new TreeMap<>())
                            .computeIfAbsent(action, a -> new LinkedHashSet<>())
                            .add(new Need(step, part));
                }
            }
        }

        private static String text(JsonNode with, String field) {
            String value = with.path(field).asText(null);
            // A role or region still templated is not known yet: the default is the best guess.
            return value == null || value.isBlank() || value.contains("${") ? null : value;
        }
    }

    List<PreflightReport.Finding> check(Needs needs) {
        List<PreflightReport.Finding> findings = new ArrayList<>();
        needs.byTarget.forEach((target, actions) -> {
            String where = (target.region() == null ? "default region" : target.region())
                    + (target.roleArn() == null ? "" : " as " + target.roleArn());
            PermissionSimulation.Outcome outcome =
                    simulation.simulate(target.region(), target.roleArn(), actions.keySet());
            if (!outcome.simulated()) {
                findings.add(PreflightReport.Finding.job(PreflightFinding.warning(
                        "permission",
                        where,
                        "not simulated (" + outcome.reason() + "): " + actions.size() + " IAM action(s) unchecked "
                                + actions.keySet() + "; only dry runs (EC2) checked theirs")));
                return;
            }
            int allowed = 0;
            for (Map.Entry<String, Set<Need>> action : actions.entrySet()) {
                String decision = outcome.decisions().getOrDefault(action.getKey(), "not evaluated");
                if ("allowed".equals(decision)) {
                    allowed++;
                    continue;
                }
                for (Need need : action.getValue()) {
                    findings.add(PreflightReport.Finding.of(
                            need.step(),
                            need.part(),
                            PreflightFinding.blocking(
                                    "permission",
                                    action.getKey(),
                                    outcome.principal() + " may not call " + action.getKey() + " (" + decision
                                            + ", IAM policy simulation in " + where + ")")));
                }
            }
            findings.add(PreflightReport.Finding.job(PreflightFinding.ok(
                    "permission",
                    where,
                    allowed + " of " + actions.size() + " IAM action(s) allowed for " + outcome.principal())));
        });
        return findings;
    }
}
