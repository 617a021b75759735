package dev.ferry.reliability;

import dev.ferry.support.TestTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/**
 * A seeded generator of malformed and hostile requests for every endpoint family. Each request is
 * a valid one with at least one defect (bad or truncated JSON, huge body, deep nesting, wrong
 * type, unknown field, NUL or broken UTF-8, template injection, path traversal, SQL
 * metacharacters, bad content type, bad UUID), so none of them may change anything.
 */
final class HostileRequests {

    /** An alerting system's identity, so alert payloads reach validation. */
    static final Supplier<String> ALERT_TOKEN = () -> TestTokens.jwt("alertmanager", List.of("alerter"));

    private static final int ONE_MIB = 1_048_576;

    /** One request: which family and defect it exercises, and what goes on the wire. */
    record Hostile(String family, String defect, String method, String path, String contentType, byte[] body) {}

    private static final List<String> SQL = List.of(
            "' OR '1'='1",
            "'; DROP TABLE plan;--",
            "\" OR 1=1 --",
            "1; SELECT pg_sleep(5)",
            "%' UNION SELECT * FROM job_event --",
            "\\'; COMMIT; DELETE FROM migration_job;--");
    private static final List<String> TRAVERSAL = List.of(
            "../../etc/passwd",
            "..%2F..%2Fetc%2Fpasswd",
            "%2e%2e/%2e%2e/etc/passwd",
            "..%252f..%252f",
            "..;/..;/admin",
            "%2E%2E%5C%2E%2E%5Cwindows",
            "....//....//",
            "%c0%ae%c0%ae/",
            "foo%00bar",
            "a/../../b");
    private static final List<String> TEMPLATES = List.of(
            "${params.__proto__}",
            "${params.constructor.prototype}",
            "${steps..output.x}",
            "${steps.later.output.arn}",
            "${T(java.lang.Runtime).getRuntime().exec('id')}",
            "${jndi:ldap://127.0.0.1/a}",
            "${${params.target}}",
            "${env.HOME}",
            "${job.id.x}",
            "${params}",
            "${steps.first.output.a[0]}",
            "${}",
            "${sys:user.home}");
    private static final List<String> BAD_UUIDS = List.of(
            "not-a-uuid",
            "00000000-0000-0000-0000",
            "%00",
            "123e4567-e89b-12d3-a456-42661417400Z",
            "'%20OR%201=1%20--",
            "%7Bcreated%7D",
            "9".repeat(300),
            "123e4567e89b12d3a456426614174000x",
            "-1");
    private static final List<String> CONTENT_TYPES = List.of(
            "text/plain",
            "application/xml",
            "multipart/form-data; boundary=x",
            "application/json; charset=ebcdic-cp-us",
            "application/x-www-form-urlencoded",
            "*/*",
            "application/*",
            "text/json",
            "image/png",
            "");

    private final Random random;
    private final String plan;
    private final UUID job;

    HostileRequests(Random random, String plan, UUID job) {
        this.random = random;
        this.plan = plan;
        this.job = job;
    }

    Hostile next() {
        return switch (random.nextInt(11)) {
            case 0, 1 -> body("jobs.create", "POST", "/api/v1/jobs", createJob());
            case 2 -> body(
                    "jobs.command",
                    "POST",
                    "/api/v1/jobs/" + job + "/"
                            + pick(List.of("start", "pause", "resume", "retry", "cancel", "rollback")),
                    "{\"reason\":\"" + pick(SQL).replace("\"", "'") + "\"}");
            case 3 -> body(
                    "approvals",
                    "POST",
                    "/api/v1/jobs/" + job + "/phases/" + pick(List.of("cutover", "cleanup")) + "/"
                            + pick(List.of("approve", "reject")),
                    "{\"comment\":\"ok\"}");
            case 4 -> body(
                    "alerts",
                    "POST",
                    "/api/v1/alerts/" + pick(List.of("generic", "alertmanager")),
                    "{\"jobId\":\"" + job + "\",\"reason\":\"r\",\"fingerprint\":\"f\",\"status\":\"firing\"}");
            case 5 -> body(
                    "plans.preview",
                    "POST",
                    "/api/v1/plans/" + plan + "/preview",
                    "{\"parameters\":{\"target\":\"a\",\"count\":2}}");
            case 6, 7 -> planDocument();
            case 8 -> body(
                    "jobs.steps",
                    "POST",
                    "/api/v1/jobs/" + job + "/steps/" + pick(List.of("first", "switch")) + "/"
                            + pick(List.of("skip", "compensation/done")),
                    "{\"reason\":\"x\"}");
            case 9 -> hostilePath();
            default -> hostileQuery();
        };
    }

    private String createJob() {
        return "{\"plan\":\"" + plan + "\",\"name\":\"hostile\",\"parameters\":{\"target\":\"a\",\"count\":1}}";
    }

    /** A valid JSON body made invalid by one randomly chosen defect. */
    private Hostile body(String family, String method, String path, String valid) {
        int defect = random.nextInt(12);
        return switch (defect) {
            case 0 -> json(
                    family, "truncated-json", method, path, valid.substring(0, 1 + random.nextInt(valid.length() - 1)));
            case 1 -> json(family, "garbage", method, path, garbage());
            case 2 -> json(
                    family,
                    "huge-body",
                    method,
                    path,
                    "{\"x\":\"" + "A".repeat(ONE_MIB + random.nextInt(4096)) + "\"}");
            case 3 -> json(family, "deep-nesting", method, path, nested(10_000));
            case 4 -> json(family, "wrong-type", method, path, wrongType(valid));
            case 5 -> json(
                    family,
                    "unknown-field",
                    method,
                    path,
                    valid.replaceFirst(
                            "\\{",
                            Matcher.quoteReplacement(
                                    "{\"" + pick(List.of("__proto__", "constructor", "x", "$where", "'")) + "\":1,")));
            case 6 -> json(
                    family,
                    "nul-byte",
                    method,
                    path,
                    random.nextBoolean()
                            ? valid.replaceFirst("\"([a-z]+)\":\"", "\"$1\":\"\\\\u0000")
                            : valid.replaceFirst("\\{", "{\"nul\u0000\":1,"));
            case 7 -> new Hostile(family, "broken-utf8", method, path, "application/json", brokenUtf8(valid));
            case 8 -> new Hostile(
                    family,
                    "bad-content-type",
                    method,
                    path,
                    pick(CONTENT_TYPES),
                    valid.getBytes(StandardCharsets.UTF_8));
            case 9 -> path.contains(job.toString())
                    ? json(family, "bad-uuid-in-path", method, path.replace(job.toString(), pick(BAD_UUIDS)), valid)
                    : json(family, "wrong-type", method, path, wrongType(valid));
            case 10 -> json(family, "path-traversal", method, traverse(path), valid);
            default -> json(
                    family,
                    "json-array-or-scalar",
                    method,
                    path,
                    pick(List.of("[]", "null", "42", "\"x\"", "[" + valid + "]", "true", "{}{}", valid + valid)));
        };
    }

    private Hostile planDocument() {
        String name = random.nextBoolean() ? "hostile-plan" : pick(TRAVERSAL).replace("%", "p");
        String reference = pick(TEMPLATES);
        String yaml =
                switch (random.nextInt(6)) {
                    case 0 -> plan("\"" + pick(TRAVERSAL) + "\"", "{message: hello}");
                    case 1 -> plan(name, "{message: \"" + reference + "\"}");
                    case 2 -> plan(name, "{output: {a: \"" + reference + "\"}}");
                    case 3 -> plan("\"" + pick(SQL).replace("\"", "'") + "\"", "{message: \"" + reference + "\"}");
                    case 4 -> plan(name, "{message: hello}").replace("action: noop", "action: \"" + reference + "\"");
                    default -> "name: hostile-plan\n&a [*a, *a, *a]: !!java.lang.Runtime x\nphases: {prepare: {steps: [{id: a, action: noop}]}}";
                };
        return random.nextInt(4) == 0
                ? body(
                        "plans.register",
                        "POST",
                        "/api/v1/plans",
                        "{\"name\":\"hostile-plan\",\"phases\":{\"prepare\":{\"steps\":[{\"id\":\"a\",\"action\":\"noop\","
                                + "\"with\":{\"message\":\"" + reference + "\"}}]}}}")
                : new Hostile(
                        "plans.register",
                        "template-injection",
                        "POST",
                        "/api/v1/plans",
                        "application/yaml",
                        yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String plan(String name, String with) {
        return "name: " + name + "\nphases:\n  prepare:\n    steps:\n      - {id: first, action: noop, with: " + with
                + "}\n      - {id: later, action: noop}\n";
    }

    private Hostile hostilePath() {
        String bad = random.nextBoolean() ? pick(TRAVERSAL) : encode(pick(SQL));
        Function<String, String> path = pick(List.<Function<String, String>>of(
                x -> "/api/v1/plans/" + x,
                x -> "/api/v1/plans/" + x + "/versions",
                x -> "/api/v1/jobs/" + x,
                x -> "/api/v1/jobs/" + x + "/events",
                x -> "/api/v1/jobs/" + job + "/phases/" + x + "/approve",
                x -> "/api/v1/" + x,
                x -> "/api/v1/plans/" + x + "/preview"));
        String target = path.apply(bad);
        boolean post = target.endsWith("/approve") || target.endsWith("/preview");
        return new Hostile(
                "paths",
                "traversal-or-sql-in-path",
                post ? "POST" : "GET",
                target,
                post ? "application/json" : null,
                post ? "{\"comment\":1}".getBytes(StandardCharsets.UTF_8) : null);
    }

    private Hostile hostileQuery() {
        String value = encode(
                pick(List.of(pick(SQL), pick(TRAVERSAL), pick(TEMPLATES), "\u0000", "-1", "1e99", "x".repeat(5000))));
        String query = pick(List.of("state=", "plan=", "cursor=", "limit=", "state=RUNNING&limit=")) + value;
        String path = random.nextBoolean()
                ? "/api/v1/jobs?" + query
                : "/api/v1/jobs/" + job + "/events?" + pick(List.of("after=", "limit=")) + value;
        return new Hostile("queries", "hostile-query", "GET", path, null, null);
    }

    private String wrongType(String valid) {
        String replacement =
                pick(List.of("42", "true", "[1,2]", "{\"a\":{}}", "-0.5e308", "\"\"", "12345678901234567890123"));
        return valid.replaceFirst(
                "(\"[a-zA-Z]+\":)(\"[^\"]*\"|\\{[^}]*\\}|[0-9]+)",
                "$1" + (replacement.equals("\"\"") ? "[\"\"]" : replacement));
    }

    private String garbage() {
        StringBuilder text = new StringBuilder();
        String alphabet = "{}[]:,\"'\\/<>&;$%#@!`~\n\t 0123456789eE+-.nultrfasxyz\u00e9\u2028\ud83d\ude00";
        for (int i = 0, n = 1 + random.nextInt(200); i < n; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        if (text.toString().isBlank()) {
            text.append('{');
        }
        return text.toString();
    }

    private static String nested(int depth) {
        return "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    private byte[] brokenUtf8(String valid) {
        byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
        byte[] broken = new byte[bytes.length + 2];
        int at = 1 + random.nextInt(bytes.length - 1);
        System.arraycopy(bytes, 0, broken, 0, at);
        broken[at] = (byte) 0xC3;
        broken[at + 1] = (byte) 0x28;
        System.arraycopy(bytes, at, broken, at + 2, bytes.length - at);
        return broken;
    }

    private String traverse(String path) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + pick(TRAVERSAL) + "/" + path.substring(slash + 1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Hostile json(String family, String defect, String method, String path, String body) {
        return new Hostile(family, defect, method, path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
