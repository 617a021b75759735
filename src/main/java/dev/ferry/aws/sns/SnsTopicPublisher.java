package dev.ferry.aws.sns;

import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsTarget;
import dev.ferry.notify.DeliveryFailedException;
import dev.ferry.notify.TopicPublisher;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/** {@link TopicPublisher} on Amazon SNS, through the shared client factory (region from the topic ARN). */
@Component
class SnsTopicPublisher implements TopicPublisher {

    private final AwsClients clients;

    SnsTopicPublisher(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public String publish(String topicArn, String subject, String message, Map<String, String> attributes)
            throws DeliveryFailedException {
        // arn:aws:sns:<region>:<account>:<name>
        String region = topicArn.split(":")[3];
        SnsClient sns = clients.client("sns", SnsClient::builder, new AwsTarget(region, null));
        try {
            PublishResponse response = sns.publish(p -> p.topicArn(topicArn)
                    .subject(subject)
                    .message(message)
                    .messageAttributes(attributes.entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue(e.getValue())
                                    .build()))));
            return response.messageId();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null
                    ? "HTTP " + e.statusCode()
                    : e.awsErrorDetails().errorCode();
            String detail =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
            throw new DeliveryFailedException("SNS: " + code + (detail == null ? "" : ": " + detail), true);
        } catch (SdkException e) {
            throw new DeliveryFailedException("SNS: " + e.getClass().getSimpleName(), true);
        }
    }
}
