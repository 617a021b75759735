package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.lifecycle.statemachine.SpringStatemachineLifecycle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README promises things a reader will copy: keep them true. */
class ReadmeTest {

    private static String readme() throws Exception {
        return Files.readString(Path.of("README.md"));
    }

    @Test
    void lifecycleDiagramIsTheGeneratedOne() throws Exception {
        assertThat(readme()).contains("```mermaid\n" + new SpringStatemachineLifecycle().mermaid() + "```");
    }

    @Test
    void ciRunsTheReadmeTestCommand() throws Exception {
        assertThat(readme()).contains("./mvnw -B verify");
        assertThat(Files.readString(Path.of(".ci/run"))).contains("./mvnw -B verify");
    }
}
