package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;

class BuiltInPlansTest {

    @Test
    void findsTheBuiltInPlansOnTheClasspath() {
        Resource[] found = new BuiltInPlans(null, "").builtInResources();

        assertThat(found).extracting(Resource::getFilename).contains("rehearsal.yaml");
    }
}
