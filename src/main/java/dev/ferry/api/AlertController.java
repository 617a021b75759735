package dev.ferry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.alert.Alert;
import dev.ferry.alert.AlertIntake;
import dev.ferry.common.FerryException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alerting systems call these to roll back the jobs their alert is about. Alertmanager and generic
 * callers authenticate with a bearer token of role {@code alerter}; SNS by its message signature.
 */
@RestController
@RequestMapping(path = "/api/v1/alerts", produces = "application/json")
class AlertController {

    private final AlertIntake intake;
    private final ObjectMapper json;

    AlertController(AlertIntake intake, ObjectMapper json) {
        this.intake = intake;
        this.json = json;
    }

    /** Prometheus Alertmanager's webhook (version 4): each alert of the group is handled on its own. */
    @PostMapping(path = "/alertmanager", consumes = "application/json")
    Receipts alertmanager(@RequestBody JsonNode body) {
        if (!body.path("alerts").isArray()) {
            throw new InvalidAlertException("an Alertmanager webhook body has an 'alerts' array");
        }
        List<AlertIntake.AlertReceipt> receipts = new ArrayList<>();
        for (JsonNode alert : body.path("alerts")) {
            Map<String, String> labels = new LinkedHashMap<>();
            alert.path("labels")
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            String fingerprint = alert.path("fingerprint").asText(labels.toString());
            receipts.add(intake.receive(new Alert(
                    "alertmanager",
                    fingerprint,
                    "firing".equals(alert.path("status").asText()),
                    labels,
                    labels.get("ferry_job_id"),
                    alert.path("annotations").path("summary").asText(labels.get("alertname")),
                    alert)));
        }
        return new Receipts(receipts);
    }

    /** Amazon SNS HTTP(S) delivery (text/plain JSON), e.g. a CloudWatch alarm; verified by its signature. */
    @PostMapping(path = "/sns")
    AlertIntake.SnsResult sns(
            @RequestHeader(name = "x-amz-sns-message-type", required = false) String type, @RequestBody String body) {
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (IOException e) {
            throw new InvalidAlertException("an SNS delivery is a JSON document");
        }
        String messageType = type != null ? type : message.path("Type").asText();
        if (!messageType.equals(message.path("Type").asText())) {
            throw new InvalidAlertException("x-amz-sns-message-type does not match the message's Type");
        }
        return intake.receiveSns(messageType, message);
    }

    /** Anything that can POST JSON: an explicit job id or labels, a reason, a fingerprint. */
    @PostMapping(path = "/generic", consumes = "application/json")
    Receipts generic(@Valid @RequestBody GenericAlert body) {
        return new Receipts(List.of(intake.receive(new Alert(
                "generic",
                body.fingerprint(),
                !"resolved".equals(body.status()),
                body.labels() == null ? Map.of() : body.labels(),
                body.jobId(),
                body.reason(),
                json.valueToTree(body)))));
    }

    record GenericAlert(
            @Size(max = 64) String jobId,
            Map<String, String> labels,
            @Size(max = 2000) String reason,
            @NotBlank @Size(max = 200) String fingerprint,
            @Pattern(regexp = "firing|resolved") String status) {}

    record Receipts(List<AlertIntake.AlertReceipt> receipts) {}

    /** A body that is JSON but not an alert. */
    static class InvalidAlertException extends FerryException {

        InvalidAlertException(String detail) {
            super("invalid-alert", 400, "Invalid alert", detail);
        }
    }
}
