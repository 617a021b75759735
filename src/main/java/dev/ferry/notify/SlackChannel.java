package dev.ferry.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Slack incoming webhooks: {@code {"text": ..., "blocks": [...]}}, a headline, the facts an
 * on-call person needs, and a link to the job. {@code text} is the fallback notifications show.
 */
@Component
class SlackChannel implements NotificationChannel {

    private static final Map<NotificationKind, String> HEADLINES = Map.of(
            NotificationKind.APPROVAL_REQUESTED, ":raised_hand: Approval requested",
            NotificationKind.JOB_PAUSED, ":double_vertical_bar: Job paused",
            NotificationKind.ROLLBACK_STARTED, ":rewind: Rollback started",
            NotificationKind.ROLLBACK_FINISHED, ":leftwards_arrow_with_hook: Rollback finished",
            NotificationKind.JOB_FINISHED, ":checkered_flag: Job finished",
            NotificationKind.GATE_BREACHED, ":rotating_light: Gate breached");

    private final HttpPoster http;
    private final ObjectMapper json;

    SlackChannel(HttpPoster http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public TargetType type() {
        return TargetType.SLACK;
    }

    @Override
    public void send(NotificationTarget target, Delivery delivery) throws DeliveryFailedException {
        try {
            http.post(
                    target,
                    "application/json; charset=utf-8",
                    json.writeValueAsBytes(
                            message(delivery.kind(), delivery.cloudEvent().get("data"))),
                    Map.of());
        } catch (JsonProcessingException e) {
            throw new DeliveryFailedException("cannot write the message: " + e.getOriginalMessage(), false);
        }
    }

    static ObjectNode message(NotificationKind kind, JsonNode data) {
        String headline = HEADLINES.get(kind) + ": " + data.path("jobName").asText() + " ("
                + data.path("state").asText() + ")";
        StringBuilder facts = new StringBuilder()
                .append("*Plan:* ")
                .append(escape(data.path("plan").asText()))
                .append("   *Phase:* ")
                .append(escape(data.path("phase").asText("-")));
        if (!data.path("step").isNull() && data.has("step")) {
            facts.append("   *Step:* ").append(escape(data.path("step").asText()));
        }
        String why = !data.path("error").isNull() && data.has("error")
                ? data.path("error").asText()
                : data.path("reason").isNull() ? null : data.path("reason").asText(null);
        if (why != null) {
            facts.append("\n*Why:* ").append(escape(why));
        }
        ObjectNode message = JsonNodeFactory.instance.objectNode().put("text", headline);
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject()
                .put("type", "header")
                .putObject("text")
                .put("type", "plain_text")
                .put("text", headline.length() > 150 ? headline.substring(0, 147) + "..." : headline);
        blocks.addObject()
                .put("type", "section")
                .putObject("text")
                .put("type", "mrkdwn")
                .put("text", facts.toString());
        String link = data.path("link").asText(null);
        String context = "job `" + data.path("jobId").asText() + "` · event #"
                + data.path("seq").asLong()
                + (link == null || data.path("link").isNull() ? "" : " · <" + link + "|Open the job>");
        blocks.addObject()
                .put("type", "context")
                .putArray("elements")
                .addObject()
                .put("type", "mrkdwn")
                .put("text", context);
        return message;
    }

    /** Slack's mrkdwn control characters; everything else is shown as written. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
