package dev.ferry.aws.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.action.ActionResult;
import dev.ferry.support.ActionDriver;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import dev.ferry.support.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code sql.compareRowCounts} against two real PostgreSQL databases, as a least-privilege role
 * whose password lives in the emulator's Secrets Manager and is really checked by the server.
 */
class SqlCompareRowCountsIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecretsManagerClient SECRETS = AwsEmulator.client(SecretsManagerClient.builder());

    private static TestDatabase.Coordinates source;
    private static TestDatabase.Coordinates target;
    private static SqlFixtures.Reader reader;
    private static String sourceSecret;
    private static String targetSecret;

    @Autowired
    CompareRowCountsAction action;

    @BeforeAll
    static void databases() {
        source = TestDatabase.newDatabase();
        target = TestDatabase.newDatabase();
        reader = SqlFixtures.readerRole(source, target);
        sourceSecret = secret(Map.of("username", reader.name(), "password", reader.password()));
        targetSecret = secret(Map.of("username", reader.name(), "password", reader.password()));
    }

    @Test
    void equalCountsSucceedWithPerTableCounts() {
        String orders = table();
        SqlFixtures.rows(source, orders, 3);
        SqlFixtures.rows(target, orders, 3);
        SqlFixtures.sql(
                source,
                "CREATE TABLE sales." + orders + " (id int)",
                "INSERT INTO sales." + orders + " SELECT generate_series(1, 7)");
        SqlFixtures.sql(
                target,
                "CREATE TABLE sales." + orders + " (id int)",
                "INSERT INTO sales." + orders + " SELECT generate_series(1, 7)");

        JsonNode output = succeeded(run(with(orders, "sales." + orders)));
        assertThat(output.get("withinTolerance").asBoolean()).isTrue();
        assertThat(output.get("tables")).hasSize(2);
        assertThat(output.get("tables").get(0).get("table").asText()).isEqualTo(orders);
        assertThat(output.get("tables").get(0).get("source").asLong()).isEqualTo(3);
        assertThat(output.get("tables").get(1).get("target").asLong()).isEqualTo(7);
        assertThat(output.get("tables").get(1).get("difference").asLong()).isZero();
        assertThat(output.get("source").get("database").asText()).startsWith("jdbc:postgresql:");
        assertThat(output.get("awsCalls").get(0).get("operation").asText()).isEqualTo("GetSecretValue");
        assertThat(output.toString()).doesNotContain(reader.password());
    }

    @Test
    void aDifferenceWithinTheToleranceSucceeds() {
        String events = table();
        SqlFixtures.rows(source, events, 100);
        SqlFixtures.rows(target, events, 99);
        JsonNode output = succeeded(run(with(events).put("tolerancePercent", 1)));
        JsonNode row = output.get("tables").get(0);
        assertThat(row.get("difference").asLong()).isEqualTo(-1);
        assertThat(row.get("differencePercent").decimalValue()).isEqualByComparingTo("-1");
        assertThat(row.get("withinTolerance").asBoolean()).isTrue();
    }

    @Test
    void aDifferenceBeyondTheToleranceFailsWithTheNumbersAndNoRetry() {
        String events = table();
        String same = table();
        SqlFixtures.rows(source, events, 100);
        SqlFixtures.rows(target, events, 97);
        SqlFixtures.rows(source, same, 5);
        SqlFixtures.rows(target, same, 5);
        ActionResult.Failed failed = failed(run(with(same, events).put("tolerancePercent", 1.5)));
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.code()).isEqualTo("ROW_COUNT_MISMATCH");
        assertThat(failed.message())
                .contains("1 of 2 tables")
                .contains(events + " source 100 target 97 difference -3 (-3%) MISMATCH")
                .contains(same + " source 5 target 5 difference 0 (0%) ok");
        assertThat(failed.detail().get("tables").get(1).get("withinTolerance").asBoolean())
                .isFalse();
        assertThat(failed.detail().get("mismatchedTables").asInt()).isEqualTo(1);
    }

    @Test
    void anEmptySourceMatchesOnlyAnEmptyTarget() {
        String empty = table();
        SqlFixtures.rows(source, empty, 0);
        SqlFixtures.rows(target, empty, 2);
        ActionResult.Failed failed = failed(run(with(empty).put("tolerancePercent", 100)));
        assertThat(failed.detail().get("tables").get(0).get("differencePercent").isNull())
                .isTrue();
    }

    @Test
    void aTimeWindowCountsOnlyRowsInsideIt() {
        String events = table();
        SqlFixtures.events(source, events, Map.of("2024-01-03T12:00:00Z", 4, "2024-01-04T10:00:00Z", 3));
        SqlFixtures.events(target, events, Map.of("2024-01-04T10:00:00Z", 3, "2024-01-05T01:00:00Z", 2));
        ObjectNode with = with();
        with.putArray("tables")
                .addObject()
                .put("name", events)
                .putObject("window")
                .put("column", "time")
                .put("since", "2024-01-04T00:00:00Z")
                .put("until", "2024-01-05T00:00:00Z");
        JsonNode row = succeeded(run(with)).get("tables").get(0);
        assertThat(row.get("source").asLong()).isEqualTo(3);
        assertThat(row.get("target").asLong()).isEqualTo(3);
        assertThat(row.get("window").get("until").asText()).isEqualTo("2024-01-05T00:00:00Z");

        // Unfiltered, the same tables differ: the window really went into the query.
        assertThat(failed(run(with(events))).message()).contains("source 7 target 5");
    }

    @Test
    void aWindowMayBeADurationBackFromNow() {
        String events = table();
        Instant now = Instant.now();
        SqlFixtures.events(
                source,
                events,
                Map.of(
                        now.minus(Duration.ofHours(3)).toString(),
                        2,
                        now.minus(Duration.ofMinutes(5)).toString(),
                        4));
        SqlFixtures.events(
                target, events, Map.of(now.minus(Duration.ofMinutes(5)).toString(), 4));
        ObjectNode with = with();
        with.putArray("tables")
                .addObject()
                .put("name", events)
                .putObject("window")
                .put("column", "time")
                .put("since", "PT1H");
        JsonNode output = succeeded(run(with));
        JsonNode row = output.get("tables").get(0);
        assertThat(row.get("source").asLong()).isEqualTo(4);
        assertThat(Instant.parse(row.get("window").get("since").asText()))
                .isEqualTo(Instant.parse(output.get("asOf").asText()).minus(Duration.ofHours(1)));
    }

    @Test
    void badIdentifiersAreRefusedBeforeAnySql() {
        for (String bad : new String[] {"orders; DROP TABLE x", "a.b.c", "\"quoted\"", "1table", "t--"}) {
            ActionResult.Failed failed = failed(run(with(bad)));
            assertThat(failed.retryable()).as(bad).isFalse();
            assertThat(failed.code()).as(bad).isEqualTo("INVALID_PARAMETERS");
        }
        ObjectNode badColumn = with();
        badColumn
                .putArray("tables")
                .addObject()
                .put("name", "events")
                .putObject("window")
                .put("column", "time > now() OR 1=1 --")
                .put("since", "PT1H");
        assertThat(failed(run(badColumn)).code()).isEqualTo("INVALID_PARAMETERS");

        Api.Response register = api().as("plan-author")
                .post(
                        "/api/v1/plans",
                        "application/yaml",
                        plan(Jobs.uniquePlanName("bad-table"), "\"orders; DROP TABLE x\"", "0"));
        assertThat(register.status()).as(register.toString()).isEqualTo(400);
        assertThat(register.body()).contains("tables");
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        String wrong = "Not-The-Password-" + UUID.randomUUID();
        ObjectNode with = with("anything");
        ((ObjectNode) with.get("target")).put("secretId", secret(Map.of("username", reader.name(), "password", wrong)));
        ActionResult.Failed failed = failed(run(with));
        assertThat(failed.code()).isEqualTo("SQL_AUTHENTICATION_FAILED");
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.message())
                .contains("target database")
                .contains(reader.name())
                .doesNotContain(wrong);
        assertThat(failed.detail().toString()).doesNotContain(wrong);
    }

    @Test
    void anUnreachableDatabaseIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ObjectNode with = with("anything");
        ((ObjectNode) with.get("source")).put("jdbcUrl", "jdbc:postgresql://127.0.0.1:" + closedPort + "/x");
        ActionResult.Failed failed = failed(run(with));
        assertThat(failed.code()).isEqualTo("SQL_CONNECTION_FAILED");
        assertThat(failed.retryable()).isTrue();
    }

    @Test
    void otherDatabasesAndRiskyDriverSettingsAreRefused() {
        ObjectNode mysql = with("anything");
        ((ObjectNode) mysql.get("source")).put("jdbcUrl", "jdbc:mysql://db.internal:3306/shop");
        ActionResult.Failed failed = failed(run(mysql));
        assertThat(failed.code()).isEqualTo("UNSUPPORTED_DATABASE");
        assertThat(failed.message()).contains("only PostgreSQL").contains("jdbc:mysql");

        ObjectNode factory = with("anything");
        ((ObjectNode) factory.get("target"))
                .put("jdbcUrl", SqlFixtures.url(target) + "?sslmode=disable&socketFactory=java.lang.Object");
        assertThat(failed(run(factory)).message()).contains("socketFactory");
    }

    @Test
    void theUrlMayComeFromTheSecret() {
        String orders = table();
        SqlFixtures.rows(source, orders, 2);
        SqlFixtures.rows(target, orders, 2);
        URI uri = URI.create(SqlFixtures.url(source).substring("jdbc:".length()));
        ObjectNode with = with(orders);
        ((ObjectNode) with.get("source")).remove("jdbcUrl");
        ((ObjectNode) with.get("source"))
                .put(
                        "secretId",
                        secret(Map.of(
                                "username",
                                reader.name(),
                                "password",
                                reader.password(),
                                "engine",
                                "postgres",
                                "host",
                                uri.getHost(),
                                "port",
                                uri.getPort(),
                                "dbname",
                                uri.getPath().substring(1))));
        JsonNode output = succeeded(run(with));
        assertThat(output.get("source").get("database").asText()).endsWith(uri.getPath());
    }

    @Test
    void aContinuedCallKeepsTheCountsAlreadyTaken() {
        String first = table();
        String second = table();
        SqlFixtures.rows(source, first, 1);
        SqlFixtures.rows(target, first, 1);
        SqlFixtures.rows(source, second, 2);
        SqlFixtures.rows(target, second, 2);
        ActionDriver driver = new ActionDriver(action, "row-counts");
        ObjectNode stored = JSON.createObjectNode().put("asOf", Instant.now().toString());
        stored.putArray("counted")
                .addObject()
                .put("table", first)
                .put("source", 41)
                .put("target", 41);
        JsonNode output = succeeded(driver.restoredProgress(stored).run(with(first, second), Duration.ofSeconds(20)));
        assertThat(output.get("tables").get(0).get("source").asLong()).isEqualTo(41);
        assertThat(output.get("tables").get(1).get("source").asLong()).isEqualTo(2);
    }

    @Test
    void runsAsAVerifyStepOfAJob() {
        String orders = table();
        SqlFixtures.rows(source, orders, 12);
        SqlFixtures.rows(target, orders, 12);
        Api api = api();
        String plan = Jobs.uniquePlanName("row-counts");
        Api.Response registered =
                api.as("plan-author").post("/api/v1/plans", "application/yaml", plan(plan, orders, "0.5"));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        UUID id = Jobs.create(
                api,
                "alice",
                plan,
                Map.of(
                        "sourceUrl",
                        SqlFixtures.url(source),
                        "targetUrl",
                        SqlFixtures.url(target),
                        "sourceSecret",
                        sourceSecret,
                        "targetSecret",
                        targetSecret));
        api.as("alice").post("/api/v1/jobs/" + id + "/start", null);
        JsonNode done = Jobs.awaitState(api, id, "SUCCEEDED");
        JsonNode output = Jobs.step(done, "row-counts").get("output");
        assertThat(output.get("tables").get(0).get("target").asLong()).isEqualTo(12);
        assertThat(done.toString()).doesNotContain(reader.password());
    }

    private static String plan(String name, String table, String tolerance) {
        return """
                name: %s
                parameters:
                  - {name: sourceUrl, type: string, required: true}
                  - {name: targetUrl, type: string, required: true}
                  - {name: sourceSecret, type: string, required: true}
                  - {name: targetSecret, type: string, required: true}
                phases:
                  verify:
                    steps:
                      - id: row-counts
                        action: sql.compareRowCounts
                        with:
                          source: {jdbcUrl: "${params.sourceUrl}", secretId: "${params.sourceSecret}"}
                          target: {jdbcUrl: "${params.targetUrl}", secretId: "${params.targetSecret}"}
                          tables: [%s]
                          tolerancePercent: %s
                          statementTimeout: PT10S
                """
                .formatted(name, table, tolerance);
    }

    private ObjectNode with(String... tables) {
        ObjectNode with = JSON.createObjectNode();
        with.putObject("source").put("jdbcUrl", SqlFixtures.url(source)).put("secretId", sourceSecret);
        with.putObject("target").put("jdbcUrl", SqlFixtures.url(target)).put("secretId", targetSecret);
        var list = with.putArray("tables");
        for (String table : tables) {
            list.add(table);
        }
        return with.put("statementTimeout", "PT10S");
    }

    private ActionResult run(ObjectNode with) {
        return new ActionDriver(action, "row-counts").run(with, Duration.ofSeconds(20));
    }

    private static JsonNode succeeded(ActionResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ActionResult.Succeeded.class);
        return ((ActionResult.Succeeded) result).output();
    }

    private static ActionResult.Failed failed(ActionResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(ActionResult.Failed.class);
        return (ActionResult.Failed) result;
    }

    private static String table() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String secret(Map<String, Object> value) {
        String name = "ferry/test/" + UUID.randomUUID();
        SECRETS.createSecret(r -> r.name(name).secretString(toJson(value)));
        return name;
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
