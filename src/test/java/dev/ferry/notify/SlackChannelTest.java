package dev.ferry.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SlackChannelTest {

    @Test
    void aReadableMessageWithALinkAndEscapedText() {
        ObjectNode data = JsonNodeFactory.instance
                .objectNode()
                .put("jobName", "efs <prod>")
                .put("state", "PAUSED")
                .put("plan", "efs-encryption")
                .put("phase", "COPY")
                .put("step", "rsync")
                .put("seq", 17)
                .put("jobId", "42")
                .put("error", "step rsync failed: exit 23 & more")
                .put("link", "https://f.example/jobs/42");
        ObjectNode message = SlackChannel.message(NotificationKind.JOB_PAUSED, data);
        assertThat(message.get("text").asText()).isEqualTo(":double_vertical_bar: Job paused: efs <prod> (PAUSED)");
        assertThat(message.get("blocks").get(1).get("text").get("text").asText())
                .isEqualTo(
                        "*Plan:* efs-encryption   *Phase:* COPY   *Step:* rsync\n*Why:* step rsync failed: exit 23 &amp; more");
        assertThat(message.get("blocks")
                        .get(2)
                        .get("elements")
                        .get(0)
                        .get("text")
                        .asText())
                .isEqualTo("job `42` · event #17 · <https://f.example/jobs/42|Open the job>");
    }
}
