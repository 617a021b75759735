package dev.ferry.api;

import dev.ferry.lifecycle.JobLifecycle;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The job lifecycle as a Mermaid diagram, generated from the state machine's configuration. */
@RestController
class LifecycleController {

    private final JobLifecycle lifecycle;

    LifecycleController(JobLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @GetMapping(path = "/api/v1/lifecycle", produces = "text/plain")
    String mermaid() {
        return lifecycle.mermaid();
    }

    @GetMapping(path = "/api/v1/lifecycle", produces = "application/json")
    Diagram json() {
        return new Diagram("mermaid", lifecycle.mermaid());
    }

    record Diagram(String format, String diagram) {}
}
