package dev.ferry.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A JSON value as PostgreSQL's {@code jsonb} prints it ({@code detail::text}), so that an event's
 * hash can be computed before it is stored: object keys ordered by UTF-8 length, then bytes; {@code
 * ", "} and {@code ": "} between items; numbers as {@code numeric} prints them (plain notation, the
 * written scale kept, no negative zero); strings escaped as {@code escape_json} does. {@code
 * AuditHashAgreementIT} checks it against PostgreSQL over random documents.
 */
final class JsonbText {

    private static final Comparator<byte[]> JSONB_KEY_ORDER =
            Comparator.<byte[]>comparingInt(key -> key.length).thenComparing(java.util.Arrays::compareUnsigned);

    private JsonbText() {}

    static String of(JsonNode value) {
        StringBuilder out = new StringBuilder(128);
        write(value, out);
        return out.toString();
    }

    private static void write(JsonNode value, StringBuilder out) {
        switch (value.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                value.fields().forEachRemaining(fields::add);
                fields.sort(Comparator.comparing(e -> e.getKey().getBytes(StandardCharsets.UTF_8), JSONB_KEY_ORDER));
                out.append('{');
                for (int i = 0; i < fields.size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    string(fields.get(i).getKey(), out);
                    out.append(": ");
                    write(fields.get(i).getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < value.size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    write(value.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(value.textValue(), out);
            case NUMBER -> out.append(number(value));
            case BOOLEAN -> out.append(value.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("not storable as jsonb: " + value.getNodeType());
        }
    }

    /** What numeric_out prints for the number as JSON writes it (a double as Java's shortest repr). */
    private static String number(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isDouble() || value.isFloat()) {
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("jsonb has no " + d);
            }
            return new BigDecimal(value.isFloat() ? Float.toString(value.floatValue()) : Double.toString(d))
                    .toPlainString();
        }
        return value.decimalValue().toPlainString();
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
