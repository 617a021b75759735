package dev.ferry.notify;

import static dev.ferry.support.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.support.Api;
import dev.ferry.support.AwsEmulator;
import dev.ferry.support.FerryIT;
import dev.ferry.support.Jobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SNS targets: published to a topic in the emulator and read back through an SQS subscription. */
class SnsNotificationIT extends FerryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsClient sns = AwsEmulator.client(SnsClient.builder());
    private final SqsClient sqs = AwsEmulator.client(SqsClient.builder());

    @Test
    void anApprovalRequestIsPublishedAsACloudEventWithAttributes() throws Exception {
        String name = Jobs.uniquePlanName("ferry-notify");
        String topicArn = sns.createTopic(t -> t.name(name)).topicArn();
        String queueUrl = sqs.createQueue(q -> q.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(a -> a.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(s -> s.topicArn(topicArn).protocol("sqs").endpoint(queueArn));

        Api api = api();
        String plan = Jobs.registerPlan(api, "notify-sns", NotificationDeliveryIT.APPROVAL_PLAN);
        Api.Response created = api.as("alice")
                .post(
                        "/api/v1/jobs",
                        Map.of(
                                "plan",
                                plan,
                                "name",
                                "sns job",
                                "notifications",
                                List.of(Map.of(
                                        "type",
                                        "sns",
                                        "topicArn",
                                        topicArn,
                                        "events",
                                        List.of("approval.requested")))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID id = UUID.fromString(created.json().get("id").asText());
        api.as("alice").post("/api/v1/jobs/" + id + "/start", null);
        awaitState(api, id, "AWAITING_APPROVAL");

        List<Message> messages = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            messages.addAll(sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1))
                    .messages());
            return !messages.isEmpty();
        });
        JsonNode envelope = JSON.readTree(messages.get(0).body());
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(topicArn);
        assertThat(envelope.get("Subject").asText()).isEqualTo("Ferry approval.requested: sns job");
        assertThat(envelope.get("MessageAttributes").get("type").get("Value").asText())
                .isEqualTo("dev.ferry.approval.requested");
        assertThat(envelope.get("MessageAttributes").get("jobId").get("Value").asText())
                .isEqualTo(id.toString());
        JsonNode event = JSON.readTree(envelope.get("Message").asText());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("data").get("seq").asLong())
                .isEqualTo(NotificationDeliveryIT.seqOf(api, id, "PHASE_AWAITING_APPROVAL"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> NotificationDeliveryIT.types(api, id).contains("NOTIFICATION_SENT"));
        JsonNode sent = NotificationDeliveryIT.notificationEvents(api, id).get(0);
        assertThat(sent.get("detail").get("targetType").asText()).isEqualTo("sns");
        assertThat(sent.get("detail").get("target").asText()).contains(topicArn);
    }
}
