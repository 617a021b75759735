package dev.ferry.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.plan.InvalidParametersException;
import dev.ferry.plan.ParameterBinding;
import dev.ferry.plan.PlanDocument;
import dev.ferry.plan.PlanProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a campaign request into its definition, or every reason it cannot be one: targets from
 * inline JSON and CSV with unique names and parameters the plan accepts, each placed in exactly
 * one wave (named by a wave, or the first wave whose selector its labels match), no empty wave.
 * Pure: no I/O, so it is unit-tested table by table.
 */
final class WavePlanning {

    static final String DEFAULT_APPROVER_ROLE = "approver";

    /** The targets in order, with the wave each belongs to, and the definition. */
    record Planned(List<CampaignDefinition.Target> targets, List<Integer> waveOf, CampaignDefinition definition) {}

    private WavePlanning() {}

    static Planned plan(NewCampaign request, PlanDocument plan) {
        List<PlanProblem> problems = new ArrayList<>();
        List<CampaignDefinition.Target> targets = new ArrayList<>();
        if (request.targets() != null) {
            for (NewCampaign.TargetRequest t : request.targets()) {
                targets.add(new CampaignDefinition.Target(
                        t.name(),
                        t.labels() == null ? Map.of() : t.labels(),
                        t.parameters() instanceof ObjectNode o ? o : null));
                if (t.parameters() != null
                        && !t.parameters().isObject()
                        && !t.parameters().isNull()) {
                    problems.add(
                            new PlanProblem("targets[" + (targets.size() - 1) + "].parameters", "must be an object"));
                }
            }
        }
        if (request.targetsCsv() != null && !request.targetsCsv().isBlank()) {
            targets.addAll(TargetsCsv.parse(request.targetsCsv(), plan, problems));
        }
        if (targets.isEmpty()) {
            problems.add(new PlanProblem("targets", "a campaign needs at least one target (targets or targetsCsv)"));
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        List<CampaignDefinition.Target> bound = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            CampaignDefinition.Target t = targets.get(i);
            String where = "targets[" + i + "] (" + t.name() + ")";
            if (index.putIfAbsent(t.name(), i) != null) {
                problems.add(new PlanProblem(where, "another target has the same name"));
            }
            ObjectNode parameters = t.parameters();
            // Targets are stored as given; a job seals its secrets at rest, a campaign row would not.
            for (var spec : plan.parameters()) {
                if (spec.secret() && parameters != null && parameters.hasNonNull(spec.name())) {
                    problems.add(new PlanProblem(
                            where + ".parameters." + spec.name(),
                            "a secret parameter cannot be given to a campaign; leave it to the plan's default"));
                }
            }
            try {
                parameters = ParameterBinding.bind(plan, t.parameters());
            } catch (InvalidParametersException e) {
                e.errors().forEach(p -> problems.add(new PlanProblem(where + "." + p.location(), p.message())));
            }
            bound.add(new CampaignDefinition.Target(t.name(), t.labels(), parameters));
        }

        Integer[] waveOf = new Integer[targets.size()];
        List<List<String>> members = new ArrayList<>();
        for (int w = 0; w < request.waves().size(); w++) {
            members.add(new ArrayList<>());
        }
        // Explicit lists first: a target named by a wave belongs to it, whatever the selectors say.
        for (int w = 0; w < request.waves().size(); w++) {
            NewCampaign.WaveRequest wave = request.waves().get(w);
            boolean listed = wave.targets() != null;
            boolean selects = wave.selector() != null;
            if (listed == selects) {
                problems.add(new PlanProblem("waves[" + w + "]", "give either targets or selector"));
                continue;
            }
            if (!listed) {
                continue;
            }
            for (String name : wave.targets()) {
                Integer i = index.get(name);
                if (i == null) {
                    problems.add(new PlanProblem("waves[" + w + "].targets", "no target named '" + name + "'"));
                } else if (waveOf[i] != null) {
                    problems.add(new PlanProblem(
                            "waves[" + w + "].targets", "'" + name + "' is already in wave " + waveOf[i]));
                } else {
                    waveOf[i] = w;
                    members.get(w).add(name);
                }
            }
        }
        for (int i = 0; i < targets.size(); i++) {
            if (waveOf[i] != null) {
                continue;
            }
            for (int w = 0; w < request.waves().size(); w++) {
                Map<String, String> selector = request.waves().get(w).selector();
                if (selector != null && targets.get(i).labels().entrySet().containsAll(selector.entrySet())) {
                    waveOf[i] = w;
                    members.get(w).add(targets.get(i).name());
                    break;
                }
            }
            if (waveOf[i] == null) {
                problems.add(new PlanProblem(
                        "targets[" + i + "] (" + targets.get(i).name() + ")", "no wave names or selects it"));
            }
        }

        List<CampaignDefinition.Wave> waves = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (int w = 0; w < request.waves().size(); w++) {
            NewCampaign.WaveRequest wave = request.waves().get(w);
            String name = wave.name() == null || wave.name().isBlank() ? "wave-" + (w + 1) : wave.name();
            if (!names.add(name)) {
                problems.add(new PlanProblem("waves[" + w + "].name", "another wave is named '" + name + "'"));
            }
            if (members.get(w).isEmpty() && (wave.targets() == null) != (wave.selector() == null)) {
                problems.add(new PlanProblem("waves[" + w + "] (" + name + ")", "has no target"));
            }
            if (isNegative(wave.soak())) {
                problems.add(new PlanProblem("waves[" + w + "].soak", "must not be negative"));
            }
            waves.add(new CampaignDefinition.Wave(
                    name,
                    members.get(w),
                    wave.maxConcurrent() == null ? 1 : wave.maxConcurrent(),
                    approval(wave.approval(), w, problems),
                    wave.soak() == null ? Duration.ZERO : wave.soak()));
        }
        if (!problems.isEmpty()) {
            throw new CampaignInvalidException(problems);
        }
        List<Integer> waveList = new ArrayList<>();
        for (Integer w : waveOf) {
            waveList.add(w);
        }
        return new Planned(bound, waveList, new CampaignDefinition(waves, failurePolicy(request.failurePolicy())));
    }

    private static CampaignDefinition.WaveApproval approval(
            NewCampaign.ApprovalRequest approval, int wave, List<PlanProblem> problems) {
        if (approval == null) {
            return null;
        }
        if (isNegative(approval.expiresAfter()) || Duration.ZERO.equals(approval.expiresAfter())) {
            problems.add(new PlanProblem("waves[" + wave + "].approval.expiresAfter", "must be positive"));
        }
        return new CampaignDefinition.WaveApproval(
                approval.required() == null ? 1 : approval.required(),
                approval.roles() == null || approval.roles().isEmpty()
                        ? List.of(DEFAULT_APPROVER_ROLE)
                        : approval.roles(),
                approval.separationOfDuties() == null || approval.separationOfDuties(),
                approval.expiresAfter());
    }

    private static FailurePolicy failurePolicy(NewCampaign.FailurePolicyRequest policy) {
        if (policy == null || policy.maxFailures() == null && policy.maxFailurePercent() == null) {
            return new FailurePolicy(
                    FailurePolicy.DEFAULT.maxFailures(),
                    null,
                    policy != null && Boolean.TRUE.equals(policy.rollbackWave()));
        }
        return new FailurePolicy(
                policy.maxFailures(), policy.maxFailurePercent(), Boolean.TRUE.equals(policy.rollbackWave()));
    }

    private static boolean isNegative(Duration d) {
        return d != null && d.isNegative();
    }
}
