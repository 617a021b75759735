package dev.ferry.lifecycle.statemachine;

import dev.ferry.lifecycle.JobLifecycle;
import dev.ferry.lifecycle.JobLifecycleContract;

class SpringStatemachineLifecycleTest extends JobLifecycleContract {

    private final SpringStatemachineLifecycle lifecycle = new SpringStatemachineLifecycle();

    @Override
    protected JobLifecycle lifecycle() {
        return lifecycle;
    }
}
