package dev.ferry.lifecycle.statemachine;

import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.statemachine.StateMachine;
import org.springframework.statemachine.state.State;
import org.springframework.statemachine.transition.Transition;

/** Renders the configured machine itself, so the diagram cannot drift from the table. */
final class MermaidDiagram {

    private MermaidDiagram() {}

    static String render(StateMachine<JobState, LifecycleEvent> machine) {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n");
        out.append("    [*] --> ").append(machine.getInitialState().getId()).append('\n');
        // Sorted so the output is stable for the README and for tests.
        Set<String> lines = new TreeSet<>();
        for (Transition<JobState, LifecycleEvent> transition : machine.getTransitions()) {
            StringBuilder line = new StringBuilder("    ")
                    .append(transition.getSource().getId())
                    .append(" --> ")
                    .append(transition.getTarget().getId())
                    .append(" : ")
                    .append(transition.getTrigger().getEvent().name().toLowerCase(Locale.ROOT));
            // Statemachine wraps guards in functions; the declared row still knows the guard's name.
            JobStateMachineDefinition.guardOf(
                            transition.getSource().getId(),
                            transition.getTrigger().getEvent(),
                            transition.getTarget().getId())
                    .ifPresent(guard -> line.append(" [").append(guard.name()).append(']'));
            lines.add(line.toString());
        }
        lines.forEach(l -> out.append(l).append('\n'));
        machine.getStates().stream()
                .map(State::getId)
                .filter(JobState::isTerminal)
                .sorted()
                .forEach(state -> out.append("    ").append(state).append(" --> [*]\n"));
        return out.toString();
    }
}
