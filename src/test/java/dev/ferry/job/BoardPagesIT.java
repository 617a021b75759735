package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.lifecycle.JobState;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Wall boards asking for different pages at once are answered by one statement for all of them
 * ({@link JobQueries#readPageVersions}): each page's version is the one it has when read alone, and
 * it moves when, and only when, that page changes.
 */
class BoardPagesIT extends FerryIT {

    @Autowired
    JobQueries queries;

    @Test
    void pagesReadTogetherAreThePagesReadAlone() {
        Api api = api();
        String plan = Jobs.registerPlan(api, "boards", Jobs.ONE_APPROVAL_PLAN);
        String other = Jobs.registerPlan(api, "boards-other", Jobs.ONE_APPROVAL_PLAN);
        UUID waiting = Jobs.start(api, "alice", plan, Map.of());
        Jobs.start(api, "alice", plan, Map.of());
        Jobs.start(api, "alice", other, Map.of());
        Jobs.awaitState(api, waiting, "AWAITING_APPROVAL");

        Set<JobQueries.PageKey> pages = new LinkedHashSet<>(List.of(
                new JobQueries.PageKey(null, plan, null, 50),
                new JobQueries.PageKey(JobState.AWAITING_APPROVAL, plan, null, 50),
                new JobQueries.PageKey(null, plan, null, 1),
                new JobQueries.PageKey(
                        null, plan, new JobQueries.Cursor(Instant.now(), UUID.randomUUID()).encode(), 50),
                new JobQueries.PageKey(JobState.SUCCEEDED, plan, null, 50),
                new JobQueries.PageKey(null, other, null, 50)));
        Map<JobQueries.PageKey, String> together = queries.readPageVersions(pages);

        assertThat(together).hasSize(pages.size());
        for (JobQueries.PageKey page : pages) {
            assertThat(together.get(page)).as("%s", page).isEqualTo(alone(page));
        }
        assertThat(together.get(List.copyOf(pages).get(4))).as("an empty page").isEqualTo("0.");
        assertThat(together.get(List.copyOf(pages).get(5)))
                .as("another plan's board")
                .isNotEqualTo(together.get(List.copyOf(pages).get(0)));

        api.as("bob").post("/api/v1/jobs/" + waiting + "/phases/cutover/approve", null);
        Jobs.awaitState(api, waiting, "SUCCEEDED");
        Map<JobQueries.PageKey, String> after = queries.readPageVersions(pages);
        for (JobQueries.PageKey page : pages) {
            assertThat(after.get(page)).as("%s", page).isEqualTo(alone(page));
            boolean showsTheJob = page.plan().equals(plan);
            assertThat(after.get(page).equals(together.get(page)))
                    .as("%s changed exactly when the approved job is on it", page)
                    .isEqualTo(!showsTheJob);
        }
    }

    private String alone(JobQueries.PageKey page) {
        return queries.readPageVersions(Set.of(page)).get(page);
    }
}
