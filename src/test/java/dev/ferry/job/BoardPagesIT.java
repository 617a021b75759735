package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.lifecycle.JobState;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * Wall boards asking for different pages at once are answered by one statement for all of them
 * ({@link JobQueries#readPageVersions}): each page's version is the one it has when read alone, and
 * it moves when, and only when, that page changes. A page of one state is read through that
 * state's index, also where the planner would otherwise walk every newer job (states follow age).
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

    @Test
    void aPageOfOneStateIsReadThroughTheStatesIndexWhateverTheStatesAge() {
        String plans = jdbc.execute((ConnectionCallback<String>) connection -> {
            try (Statement statement = connection.createStatement()) {
                // A session's own copy of the table, with its indexes, shadows the real one (pg_temp
                // comes first on the search path): 12,000 jobs whose states follow their age as in a
                // long-lived installation — the oldest finished, then waiting, the newest awaiting
                // approval. The test database's few jobs would not show the planner's choice.
                statement.execute(
                        "CREATE TEMP TABLE migration_job (LIKE public.migration_job INCLUDING DEFAULTS INCLUDING INDEXES)");
                try {
                    statement.execute(
                            """
                            INSERT INTO migration_job (id, name, plan_id, state, parameters, created_by, created_at, updated_at)
                            SELECT gen_random_uuid(), 'job-' || n, gen_random_uuid(),
                                   CASE WHEN n <= 10000 THEN 'SUCCEEDED' WHEN n <= 11000 THEN 'WAITING'
                                        ELSE 'AWAITING_APPROVAL' END,
                                   '{}', 'alice', now() - (12000 - n) * interval '1 minute', now()
                              FROM generate_series(1, 12000) n""");
                    statement.execute("ANALYZE migration_job");
                    StringBuilder all = new StringBuilder();
                    for (JobState state : List.of(JobState.SUCCEEDED, JobState.WAITING, JobState.AWAITING_APPROVAL)) {
                        List<Object> args = new ArrayList<>();
                        String page = JobQueries.page(new JobQueries.PageKey(state, null, null, 50), args);
                        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + page)) {
                            for (int i = 0; i < args.size(); i++) {
                                explain.setObject(i + 1, args.get(i));
                            }
                            try (ResultSet rs = explain.executeQuery()) {
                                all.append("-- ").append(state).append('\n');
                                while (rs.next()) {
                                    all.append(rs.getString(1)).append('\n');
                                }
                            }
                        }
                    }
                    return all.toString();
                } finally {
                    statement.execute("DROP TABLE pg_temp.migration_job");
                }
            }
        });
        assertThat(plans)
                .as("each page an index scan of the state's own rows, in order: no filter, no sort")
                .contains("Index Cond: ((state >=")
                .doesNotContain("Filter")
                .doesNotContain("Sort")
                .doesNotContain("Seq Scan");
    }

    private String alone(JobQueries.PageKey page) {
        return queries.readPageVersions(Set.of(page)).get(page);
    }
}
