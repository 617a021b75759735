package dev.ferry.job;

import dev.ferry.lifecycle.GuardFacts;
import dev.ferry.lifecycle.LifecycleEvent;
import java.util.Set;

/**
 * A job as read in one transaction, with what its lifecycle allows now. The entity is only
 * safe to walk inside the {@link JobQueries#read} callback that produced it.
 */
public record JobSnapshot(MigrationJob job, GuardFacts facts, Set<LifecycleEvent> allowedCommands) {

    public boolean rollbackAvailable() {
        return !job.state().isTerminal() && allowedCommands.contains(LifecycleEvent.ROLLBACK);
    }
}
