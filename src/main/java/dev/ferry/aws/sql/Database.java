package dev.ferry.aws.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.action.ActionFailure;
import dev.ferry.action.StepParameters;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * One side of the comparison: a PostgreSQL JDBC URL and the credentials from its Secrets Manager
 * secret ({@code {"username", "password"}}, plus {@code host}/{@code port}/{@code dbname} as RDS
 * writes them, which build the URL when the plan gives none). The password lives only in this
 * object for the duration of one call: never in output, progress, errors or {@link #toString()}.
 */
record Database(String side, String url, String secretId, String username, String password) {

    static final String UNSUPPORTED = "UNSUPPORTED_DATABASE";
    static final String SECRET_INVALID = "SECRET_INVALID";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "jdbc:postgresql:";
    private static final Pattern HOST = Pattern.compile("^([A-Za-z0-9_.-]+|\\[[0-9A-Fa-f:.]+])$");
    /*
     * Driver settings a plan may pass. Everything else is refused: credentials belong in the
     * secret, and some driver settings load classes or write files (socketFactory, loggerFile).
     */
    private static final Set<String> ALLOWED_URL_SETTINGS = Set.of(
            "ssl",
            "sslmode",
            "sslrootcert",
            "connecttimeout",
            "logintimeout",
            "sockettimeout",
            "applicationname",
            "targetservertype",
            "tcpkeepalive",
            "channelbinding",
            "gssencmode");

    /** Resolves {@code with.<side>}: reads the secret and checks or builds the URL. */
    static Database resolve(String side, JsonNode spec, SecretsManagerClient secrets, StepParameters parameters) {
        String secretId = spec.path("secretId").asText("");
        if (secretId.isBlank()) {
            throw parameters.invalid(side + ".secretId is required");
        }
        String jdbcUrl = spec.path("jdbcUrl").isTextual() ? spec.get("jdbcUrl").textValue() : null;
        if (jdbcUrl != null) {
            checkUrl(side, jdbcUrl);
        }
        JsonNode secret = secret(side, secretId, secrets);
        String url = jdbcUrl != null ? jdbcUrl : urlFromSecret(side, secretId, secret);
        return new Database(
                side,
                url,
                secretId,
                text(secret, "username", side, secretId),
                text(secret, "password", side, secretId));
    }

    /** Refuses anything but PostgreSQL, and URL settings outside {@link #ALLOWED_URL_SETTINGS}. */
    static void checkUrl(String side, String url) {
        if (!url.startsWith(PREFIX)) {
            String scheme = url.startsWith("jdbc:") ? "jdbc:" + url.substring(5).split(":", 2)[0] : "not a JDBC URL";
            throw new ActionFailure(
                    false,
                    UNSUPPORTED,
                    side + ".jdbcUrl: only PostgreSQL is supported" + " (jdbc:postgresql://host:port/database); got "
                            + scheme);
        }
        int query = url.indexOf('?');
        if (query < 0) {
            return;
        }
        for (String pair : url.substring(query + 1).split("&")) {
            String name = pair.split("=", 2)[0];
            if (!name.isEmpty() && !ALLOWED_URL_SETTINGS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new ActionFailure(
                        false,
                        UNSUPPORTED,
                        side + ".jdbcUrl: driver setting '" + name
                                + "' is not allowed (credentials come from the secret; allowed: "
                                + String.join(", ", ALLOWED_URL_SETTINGS) + ")");
            }
        }
    }

    private static JsonNode secret(String side, String secretId, SecretsManagerClient secrets) {
        String text = secrets.getSecretValue(r -> r.secretId(secretId)).secretString();
        JsonNode secret = null;
        if (text != null) {
            try {
                secret = JSON.readTree(text);
            } catch (IOException e) {
                // The parser's message quotes the secret's text: never show it.
                secret = null;
            }
        }
        if (secret == null || !secret.isObject()) {
            throw new ActionFailure(
                    false,
                    SECRET_INVALID,
                    side + ": secret " + secretId + " is not a JSON object with username and password");
        }
        return secret;
    }

    private static String urlFromSecret(String side, String secretId, JsonNode secret) {
        String engine = secret.path("engine").asText("postgres");
        if (!engine.startsWith("postgres") && !engine.startsWith("aurora-postgresql")) {
            throw new ActionFailure(
                    false,
                    UNSUPPORTED,
                    side + ": secret " + secretId + " is for engine '" + engine + "'; only PostgreSQL is supported");
        }
        String host = secret.path("host").asText("");
        if (!HOST.matcher(host).matches()) {
            throw new ActionFailure(
                    false, SECRET_INVALID, side + ": no jdbcUrl given and secret " + secretId + " has no usable host");
        }
        int port = secret.path("port").asInt(5432);
        if (port < 1 || port > 65535) {
            throw new ActionFailure(false, SECRET_INVALID, side + ": secret " + secretId + " has an invalid port");
        }
        String database = secret.path("dbname").asText("postgres");
        return PREFIX + "//" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    private static String text(JsonNode secret, String field, String side, String secretId) {
        JsonNode value = secret.path(field);
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new ActionFailure(false, SECRET_INVALID, side + ": secret " + secretId + " has no " + field);
        }
        return value.textValue();
    }

    /** The URL without its settings, fit for output and messages. */
    String displayUrl() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** {@code text} with the password masked, for anything a driver or server said. */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        return password.isEmpty() ? text : text.replace(password, "****");
    }

    @Override
    public String toString() {
        return "Database[" + side + " " + displayUrl() + " as " + username + "]";
    }
}
