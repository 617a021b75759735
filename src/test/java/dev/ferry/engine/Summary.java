package dev.ferry.engine;

import java.util.ArrayList;
import java.util.List;

/** Decisions as short words, so a table row can list what it expects in order. */
final class Summary {

    private Summary() {}

    static List<String> of(Decisions decisions) {
        List<String> words = new ArrayList<>();
        decisions.changes().forEach(d -> words.add(word(d)));
        decisions.then().forEach(i -> words.add("then " + i.getClass().getSimpleName()));
        return words;
    }

    private static String word(Decision d) {
        // Java 17: no pattern matching for switch yet.
        if (d instanceof Decision.Record r) {
            return "Record " + r.event().type();
        } else if (d instanceof Decision.Transition t) {
            return "Transition " + t.event() + " " + t.draft().type();
        } else if (d instanceof Decision.PhaseStatusChange p) {
            return "Phase " + p.phase() + " " + p.status();
        } else if (d instanceof Decision.CurrentPhase c) {
            return "Current " + c.phase();
        } else if (d instanceof Decision.Queue q) {
            return "Queue " + q.stepId() + (q.urgent() ? " urgently" : "");
        } else if (d instanceof Decision.FailAttempt f) {
            return "FailAttempt " + f.stepId() + (f.retryAt() == null ? "" : " retry");
        } else if (d instanceof Decision.Call c) {
            return "Call " + c.stepId() + (c.undo() ? " undo" : "");
        } else if (d instanceof Decision.StepMeasured m) {
            return "StepMeasured " + m.outcome();
        } else if (d instanceof Decision.PhaseMeasured m) {
            return "PhaseMeasured " + m.phase() + " " + m.outcome();
        } else if (d instanceof Decision.RollbackStarted r) {
            return "RollbackStarted " + r.trigger();
        }
        String name = d.getClass().getSimpleName();
        String target = d.toString().replaceFirst("^[A-Za-z]+\\[(stepId|phase)=([^,\\]]+).*$", "$2");
        return target.equals(d.toString()) ? name : name + " " + target;
    }
}
