package dev.ferry.lifecycle.statemachine;

import dev.ferry.lifecycle.GuardFacts;
import dev.ferry.lifecycle.JobLifecycle;
import dev.ferry.lifecycle.JobState;
import dev.ferry.lifecycle.LifecycleEvent;
import dev.ferry.lifecycle.Transition;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.statemachine.StateMachine;
import org.springframework.statemachine.StateMachineEventResult;
import org.springframework.statemachine.support.DefaultStateMachineContext;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@link JobLifecycle} on Spring Statemachine, used as a transition table: a fresh machine per
 * call, reset to the stored state, one event sent, the resulting state read back. Machines carry
 * no actions, so firing has no side effects and its answer depends only on (state, event, facts):
 * each answer is kept (a few hundred at most), since building and running a machine cost more
 * than the rest of a step's transaction in the service.
 */
@Component
public class SpringStatemachineLifecycle implements JobLifecycle {

    private final Map<FireKey, Transition> fireCache = new ConcurrentHashMap<>();
    private final Map<AllowedKey, Set<LifecycleEvent>> allowedCache = new ConcurrentHashMap<>();
    private final String mermaid = MermaidDiagram.render(JobStateMachineDefinition.build());

    @Override
    public Transition fire(JobState state, LifecycleEvent event, GuardFacts facts) {
        return fireCache.computeIfAbsent(new FireKey(state, event, facts), key -> run(state, event, facts));
    }

    private static Transition run(JobState state, LifecycleEvent event, GuardFacts facts) {
        StateMachine<JobState, LifecycleEvent> machine = JobStateMachineDefinition.build();
        machine.getStateMachineAccessor().doWithAllRegions(access -> access.resetStateMachineReactively(
                        new DefaultStateMachineContext<>(state, null, null, null))
                .block());
        machine.startReactively().block();
        try {
            List<StateMachineEventResult<JobState, LifecycleEvent>> results = machine.sendEvent(
                            Mono.just(MessageBuilder.withPayload(event)
                                    .setHeader(JobStateMachineDefinition.FACTS, facts)
                                    .build()))
                    .collectList()
                    .block();
            boolean matched = results != null
                    && results.stream().anyMatch(r -> r.getResultType() == StateMachineEventResult.ResultType.ACCEPTED);
            JobState after = machine.getState().getId();
            // A guard that refuses still reports ACCEPTED: only a state change proves the transition ran.
            return new Transition(state, event, after, matched && after != state);
        } finally {
            machine.stopReactively().block();
        }
    }

    @Override
    public Set<LifecycleEvent> allowedCommands(JobState state, GuardFacts facts) {
        return allowedCache.computeIfAbsent(new AllowedKey(state, facts), key -> {
            Set<LifecycleEvent> allowed = EnumSet.noneOf(LifecycleEvent.class);
            for (LifecycleEvent event : LifecycleEvent.values()) {
                if (event.isCommand() && fire(state, event, facts).accepted()) {
                    allowed.add(event);
                }
            }
            return Set.copyOf(allowed);
        });
    }

    @Override
    public String mermaid() {
        return mermaid;
    }

    private record FireKey(JobState state, LifecycleEvent event, GuardFacts facts) {}

    private record AllowedKey(JobState state, GuardFacts facts) {}
}
