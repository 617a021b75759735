package dev.ferry.alert;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.support.Api;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Amazon SNS deliveries of CloudWatch alarms, signed with a test certificate ({@link SnsSigner}):
 * what SNS really sends is obeyed, and every way of abusing the open endpoint is refused with a
 * problem, changes nothing, fetches nothing, and shows in the {@code ferry.alerts} metric and the log.
 * The service accepts one topic, {@link SnsSigner#TOPIC}.
 */
@ExtendWith(OutputCaptureExtension.class)
class SnsAlertIT extends FerryIT {

    private static final String FOREIGN_TOPIC = "arn:aws:sns:us-east-1:666666666666:not-ours";
    private static SnsSigner sns;

    @BeforeAll
    static void signingCertificate() throws Exception {
        sns = SnsSigner.start();
    }

    @AfterAll
    static void stop() {
        sns.close();
    }

    @Test
    void aSubscriptionConfirmationOfTheAcceptedTopicIsVerifiedAndConfirmed() throws Exception {
        ObjectNode message = SnsSigner.confirmation(sns.local("/confirm-ours?Action=ConfirmSubscription"));
        Api.Response response = deliver("SubscriptionConfirmation", sns.sign(message));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("confirmed").asBoolean()).isTrue();
        assertThat(sns.requests("/confirm-ours")).isEqualTo(1);
    }

    @Test
    void anAlarmRollsBackItsJobOnlyWhenSignedBySns() throws Exception {
        String alarm = alarmName();
        Api api = api();
        UUID id = runningJobWatching(alarm);

        ObjectNode tampered = sns.sign(SnsSigner.notification(alarm, "ALARM"));
        tampered.put("Subject", "ALARM: something else");
        Api.Response refused = deliver("Notification", tampered);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("type").asText()).endsWith("/alert-signature-invalid");
        assertThat(Jobs.get(api, id).get("state").asText()).isEqualTo("RUNNING");

        JsonNode ok = deliver("Notification", sns.sign(SnsSigner.notification(alarm, "OK")))
                .json();
        assertThat(ok.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("IGNORED_RESOLVED");

        JsonNode fired = deliver("Notification", sns.sign(SnsSigner.notification(alarm, "ALARM")))
                .json();
        assertThat(fired.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("ROLLED_BACK");
        awaitState(api, id, "ROLLED_BACK");
        JsonNode repeat = deliver("Notification", sns.sign(SnsSigner.notification(alarm, "ALARM")))
                .json();
        assertThat(repeat.at("/receipts/0/outcomes/0/outcome").asText()).isEqualTo("DUPLICATE");
    }

    @Test
    void anotherAccountsTopicIsNeitherConfirmedNorObeyed(CapturedOutput log) throws Exception {
        String alarm = alarmName();
        UUID id = runningJobWatching(alarm);
        double before = counted("REFUSED_TOPIC");

        // Someone subscribes Ferry to a topic of their own: validly signed, but not a topic Ferry accepts.
        ObjectNode subscribe = SnsSigner.confirmation(sns.local("/confirm-theirs?Action=ConfirmSubscription"))
                .put("TopicArn", FOREIGN_TOPIC);
        Api.Response refused = deliver("SubscriptionConfirmation", sns.sign(subscribe, "2", sns.local("/theirs.pem")));
        assertProblem(refused, 403, "sns-topic-not-accepted");

        // ...and publishes an ALARM that names the job.
        ObjectNode alarmMessage = SnsSigner.notification(alarm, "ALARM").put("TopicArn", FOREIGN_TOPIC);
        assertProblem(
                deliver("Notification", sns.sign(alarmMessage, "2", sns.local("/theirs.pem"))),
                403,
                "sns-topic-not-accepted");

        assertThat(sns.requests("/confirm-theirs")).as("SubscribeURL visits").isZero();
        assertThat(sns.requests("/theirs.pem")).as("certificate fetches").isZero();
        assertThat(Jobs.get(api(), id).get("state").asText()).isEqualTo("RUNNING");
        assertNothingStored(alarm, alarmMessage);
        await().atMost(Duration.ofSeconds(10)).until(() -> counted("REFUSED_TOPIC") >= before + 2);
        assertThat(log.getOut()).contains("SNS delivery refused (sns-topic-not-accepted)");
    }

    @Test
    void aReplayedMessageIsRefused() throws Exception {
        String alarm = alarmName();
        double before = counted("REFUSED_REPLAYED");
        ObjectNode message = sns.sign(SnsSigner.notification(alarm, "OK"));
        assertThat(deliver("Notification", message).status()).isEqualTo(200);

        assertProblem(deliver("Notification", message), 409, "sns-message-replayed");

        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM alert_receipt WHERE fingerprint = ?", Integer.class, fingerprint(alarm)))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> counted("REFUSED_REPLAYED") >= before + 1);
    }

    @Test
    void aStaleOrFutureMessageIsRefusedBeforeItsCertificateIsFetched() throws Exception {
        String alarm = alarmName();
        ObjectNode stale = SnsSigner.notification(alarm, "ALARM")
                .put("Timestamp", Instant.now().minus(Duration.ofHours(2)).toString());
        assertProblem(deliver("Notification", sns.sign(stale, "2", sns.local("/stale.pem"))), 400, "sns-message-stale");
        ObjectNode future = SnsSigner.notification(alarm, "ALARM")
                .put("Timestamp", Instant.now().plus(Duration.ofHours(1)).toString());
        assertProblem(
                deliver("Notification", sns.sign(future, "2", sns.local("/stale.pem"))), 400, "sns-message-stale");

        assertThat(sns.requests("/stale.pem")).isZero();
        assertNothingStored(alarm, stale);
    }

    @Test
    void signatureVersionOneIsRefusedByDefault() throws Exception {
        String alarm = alarmName();
        ObjectNode sha1 = sns.sign(SnsSigner.notification(alarm, "ALARM"), "1", sns.local("/sha1.pem"));

        assertProblem(deliver("Notification", sha1), 403, "sns-signature-version-refused");
        assertThat(sns.requests("/sha1.pem")).isZero();
        assertNothingStored(alarm, sha1);
    }

    @Test
    void aCertificateUrlOffSnsIsRefusedWithoutBeingFetched() throws Exception {
        String alarm = alarmName();
        for (String url : new String[] {
            "https://sns-certificates.s3.amazonaws.com/SimpleNotificationService-1.pem",
            "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-1.pem",
            "https://evil.example.com/sns.pem"
        }) {
            ObjectNode message = sns.sign(SnsSigner.notification(alarm, "ALARM"), "2", url);
            // The URL rule refuses it (a fetch would end in alert-signature-invalid: this sandbox has no route there).
            assertProblem(deliver("Notification", message), 403, "sns-url-refused");
            assertNothingStored(alarm, message);
        }
    }

    private UUID runningJobWatching(String alarm) {
        Api api = api();
        String plan = Jobs.registerPlan(
                api,
                "sns-alarm",
                """
                name: %s
                parameters:
                  - {name: alertMatchers, type: map, required: true}
                phases:
                  cutover:
                    steps:
                      - {id: switch, action: noop, compensate: {action: noop}}
                      - {id: watch, action: wait, with: {duration: PT60S}}
                """);
        UUID id = Jobs.start(api, "alice", plan, Map.of("alertMatchers", Map.of("alarmName", alarm)));
        await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING"
                .equals(Jobs.step(Jobs.get(api, id), "watch").get("status").asText()));
        return id;
    }

    private void assertNothingStored(String alarm, JsonNode message) {
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM alert_receipt WHERE fingerprint = ?", Integer.class, fingerprint(alarm)))
                .as("alert receipts")
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM sns_message_seen WHERE message_id = ?",
                        Integer.class,
                        message.get("MessageId").asText()))
                .as("remembered MessageIds")
                .isZero();
    }

    private static void assertProblem(Api.Response response, int status, String slug) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).endsWith("/" + slug);
    }

    /** The {@code ferry.alerts} count of SNS deliveries with this outcome, as Prometheus scrapes it. */
    private double counted(String outcome) {
        return api().get("/actuator/prometheus")
                .body()
                .lines()
                .filter(line -> line.startsWith("ferry_alerts_total{")
                        && line.contains("source=\"sns\"")
                        && line.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private Api.Response deliver(String type, JsonNode message) {
        return api().send(api().request("/api/v1/alerts/sns")
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", type)
                .header("x-amz-sns-message-id", message.path("MessageId").asText())
                .header("x-amz-sns-topic-arn", message.path("TopicArn").asText())
                .POST(HttpRequest.BodyPublishers.ofString(message.toString())));
    }

    private static String alarmName() {
        return "fluxion-backend-5xx-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String fingerprint(String alarm) {
        return "arn:aws:cloudwatch:us-east-1:000000000000:alarm:" + alarm;
    }
}
