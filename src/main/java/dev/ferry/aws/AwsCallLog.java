package dev.ferry.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS calls one handler invocation made, with their request ids, so an auditor can find each
 * of them in CloudTrail. Collected per thread: a handler call runs on one worker thread.
 */
final class AwsCallLog {

    private static final ThreadLocal<List<Call>> CALLS = new ThreadLocal<>();

    private AwsCallLog() {}

    static void start() {
        CALLS.set(new ArrayList<>());
    }

    static void record(String service, String operation, int status, String requestId) {
        List<Call> calls = CALLS.get();
        if (calls != null) {
            calls.add(new Call(service, operation, status, requestId));
        }
    }

    /** The calls so far as JSON, and stops collecting. */
    static ArrayNode finish() {
        List<Call> calls = CALLS.get();
        CALLS.remove();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (calls != null) {
            calls.forEach(c -> out.addObject()
                    .put("service", c.service())
                    .put("operation", c.operation())
                    .put("status", c.status())
                    .put("requestId", c.requestId()));
        }
        return out;
    }

    private record Call(String service, String operation, int status, String requestId) {}
}
