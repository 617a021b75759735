package dev.ferry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart as {@code helm} itself sees it: linted and rendered with the three value sets in
 * {@code helm/ferry/ci}, and the rendered manifests read back for what a platform team checks
 * (probes, non-root, read-only root, rolling updates, IRSA, external database only). Helm comes
 * from {@code HELM}, the PATH, {@code ~/go/bin}, or is built once into {@code ~/.cache/ferry/tools} with
 * {@code go install} from the Go module proxy.
 */
class HelmChartIT {

    private static final Path CHART = Path.of("helm", "ferry");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static String helm;

    @BeforeAll
    static void findOrInstallHelm() throws Exception {
        helm = Tools.helm();
    }

    @Test
    void everyValuesSetLintsAndRenders() throws Exception {
        try (var files = Files.list(CHART.resolve("ci"))) {
            List<Path> sets =
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(sets).hasSize(3);
            for (Path values : sets) {
                Result lint = run(
                        helm,
                        "lint",
                        CHART.toString(),
                        "-f",
                        values.toString(),
                        "--strict",
                        "--kube-version",
                        "1.29.0");
                assertThat(lint.code()).as(values + ": " + lint.output()).isZero();
                assertThat(render(values)).isNotEmpty();
            }
        }
    }

    @Test
    void theDefaultsRunTwoHardenedReplicasOnAnExternalDatabase() throws Exception {
        List<JsonNode> manifests = render(CHART.resolve("ci/default-values.yaml"));
        JsonNode deployment = kind(manifests, "Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt())
                .isZero();
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean())
                .isFalse();
        assertThat(container.at("/securityContext/capabilities/drop/0").asText())
                .isEqualTo("ALL");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
        assertThat(env(container, "SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://postgres.ferry.svc:5432/");
        assertThat(env(container, "FERRY_SECURITY_DEV_TOKENS_ENABLED")).isEqualTo("false");
        assertThat(container.at("/volumeMounts").findValuesAsText("mountPath")).contains("/tmp", "/etc/ferry/tokens");
        assertThat(kind(manifests, "PodDisruptionBudget")
                        .at("/spec/minAvailable")
                        .asInt())
                .isEqualTo(1);
        assertThat(kind(manifests, "Service").at("/spec/ports/0/targetPort").asText())
                .isEqualTo("http");
        JsonNode tokens = manifests.stream()
                .filter(m -> m.at("/metadata/name").asText().endsWith("-tokens"))
                .findFirst()
                .orElseThrow();
        assertThat(tokens.at("/stringData/tokens.yaml").asText()).contains("sha256: 41d3afbe");
    }

    @Test
    void productionValuesUseIrsaOidcIngressAutoscalingMonitoringAndPolicies() throws Exception {
        List<JsonNode> manifests = render(CHART.resolve("ci/production-values.yaml"));
        assertThat(kind(manifests, "ServiceAccount")
                        .at("/metadata/annotations/eks.amazonaws.com~1role-arn")
                        .asText())
                .isEqualTo("arn:aws:iam::123456789012:role/ferry-migrations");
        JsonNode deployment = kind(manifests, "Deployment");
        assertThat(deployment.at("/spec/replicas").isMissingNode())
                .as("the autoscaler owns replicas")
                .isTrue();
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(env(container, "SPRING_DATASOURCE_URL")).endsWith("?sslmode=verify-full");
        assertThat(env(container, "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI"))
                .isEqualTo("https://login.example.com/realms/ops");
        assertThat(env(container, "FERRY_PLANS_DIRECTORY")).isEqualTo("/etc/ferry/plans");
        assertThat(kind(manifests, "ConfigMap").at("/data/team-cutover.yaml").asText())
                .contains("name: team-cutover");
        assertThat(kind(manifests, "Ingress").at("/spec/tls/0/secretName").asText())
                .isEqualTo("ferry-tls");
        assertThat(kind(manifests, "HorizontalPodAutoscaler")
                        .at("/spec/minReplicas")
                        .asInt())
                .isEqualTo(3);
        JsonNode monitor = kind(manifests, "ServiceMonitor");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(monitor.at("/spec/endpoints/0/authorization/credentials/name")
                        .asText())
                .isEqualTo("ferry-scrape-token");
        JsonNode policy = kind(manifests, "NetworkPolicy");
        assertThat(policy.at("/spec/egress/1/ports").findValuesAsText("port")).contains("5432", "443");
        assertThat(manifests)
                .noneMatch(m -> "Secret".equals(m.path("kind").asText()))
                .as("every secret is an existing one");
    }

    @Test
    void aSingleReplicaHasNoDisruptionBudgetAndMissingValuesAreRefused() throws Exception {
        List<JsonNode> minimal = render(CHART.resolve("ci/minimal-values.yaml"));
        assertThat(minimal)
                .noneMatch(m -> "PodDisruptionBudget".equals(m.path("kind").asText()));
        assertThat(minimal.stream()
                        .filter(m -> "Secret".equals(m.path("kind").asText()))
                        .count())
                .as("the trial database password and the given sealing key")
                .isEqualTo(2);
        Result bare = run(helm, "template", "t", CHART.toString(), "--kube-version", "1.29.0");
        assertThat(bare.code()).isNotZero();
        assertThat(bare.output()).contains("database.host is required");
        Path badToken = Files.createTempFile("values", ".yaml");
        Files.writeString(
                badToken,
                "database: {host: db, password: x}\nauth: {tokens: [{subject: a, roles: [root], sha256: nope}]}\n");
        Result schema =
                run(helm, "template", "t", CHART.toString(), "-f", badToken.toString(), "--kube-version", "1.29.0");
        assertThat(schema.code()).isNotZero();
        assertThat(schema.output()).contains("values don't meet the specifications of the schema");
    }

    @Test
    void jwtsNeedAudiencesAndARolePrefixOrAnExplicitOptOut() throws Exception {
        String jwt = "auth: {jwt: {issuerUri: 'https://login.example.com'%s}, secretKey: {value: " + KEY + "}}\n";
        Result noAudience = template(String.format(jwt, ""));
        assertThat(noAudience.code()).isNotZero();
        assertThat(noAudience.output()).contains("auth.jwt.audiences is required with JWTs");
        Result noPrefix = template(String.format(jwt, ", audiences: [ferry]"));
        assertThat(noPrefix.code()).isNotZero();
        assertThat(noPrefix.output()).contains("auth.jwt.rolePrefix is required with JWTs");
        Result optedOut = template(String.format(jwt, ", anyAudience: true, unprefixedRoles: true"));
        assertThat(optedOut.code()).as(optedOut.output()).isZero();

        JsonNode container = kind(render(CHART.resolve("ci/minimal-values.yaml")), "Deployment")
                .at("/spec/template/spec/containers/0");
        assertThat(env(container, "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES"))
                .isEqualTo("ferry");
        assertThat(env(container, "FERRY_SECURITY_JWT_ROLE_PREFIX")).isEqualTo("ferry-");
    }

    @Test
    void theNetworkPolicyIsOnByDefaultAndNeverAllowsTheMetadataAddress() throws Exception {
        JsonNode policy = kind(render(CHART.resolve("ci/default-values.yaml")), "NetworkPolicy");
        assertThat(policy.at("/spec/policyTypes").toString()).contains("Egress");
        for (JsonNode rule : policy.at("/spec/egress")) {
            assertThat(rule.path("to").isArray())
                    .as("every egress rule names its peers: " + rule)
                    .isTrue();
            for (JsonNode peer : rule.path("to")) {
                if (peer.has("ipBlock")) {
                    assertThat(peer.at("/ipBlock/except").toString()).contains("169.254.169.254/32");
                }
            }
        }
        Result open = template("networkPolicy: {egressTo: [{ipBlock: {cidr: 0.0.0.0/0}}]}\n"
                + "auth: {secretKey: {value: " + KEY + "}}\n");
        assertThat(open.code()).isNotZero();
        assertThat(open.output()).contains("must list 169.254.169.254/32 in except");
    }

    @Test
    void theServiceAccountTokenIsMountedOnlyWhereIrsaNeedsIt() throws Exception {
        List<JsonNode> plain = render(CHART.resolve("ci/default-values.yaml"));
        assertThat(kind(plain, "Deployment")
                        .at("/spec/template/spec/automountServiceAccountToken")
                        .asBoolean(true))
                .isFalse();
        assertThat(kind(plain, "ServiceAccount")
                        .at("/automountServiceAccountToken")
                        .asBoolean(true))
                .isFalse();
        List<JsonNode> irsa = render(CHART.resolve("ci/production-values.yaml"));
        assertThat(kind(irsa, "Deployment")
                        .at("/spec/template/spec/automountServiceAccountToken")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void theSealingKeyIsNeverGeneratedAtRenderTime() throws Exception {
        // helm template and Argo CD cannot look the Secret up: without a key the render fails...
        Result none = template("auth: {secretKey: {value: ''}}\n");
        assertThat(none.code()).isNotZero();
        assertThat(none.output())
                .contains("auth.secretKey: give existingSecret")
                .contains("Argo CD");
        // ...and with one, every render carries the same key.
        String first = sealingKey(render(CHART.resolve("ci/default-values.yaml")));
        assertThat(sealingKey(render(CHART.resolve("ci/default-values.yaml")))).isEqualTo(first);
        assertThat(new String(Base64.getDecoder().decode(first), StandardCharsets.UTF_8))
                .isEqualTo(KEY);
    }

    @Test
    void migrationsRunAsTheSchemasOwnerAndTheServiceAsARuntimeUserThatOwnsNothing() throws Exception {
        JsonNode production = kind(render(CHART.resolve("ci/production-values.yaml")), "Deployment")
                .at("/spec/template/spec/containers/0");
        assertThat(env(production, "SPRING_DATASOURCE_USERNAME")).isEqualTo("ferry_app");
        assertThat(env(production, "SPRING_FLYWAY_USER")).isEqualTo("ferry_owner");
        assertThat(secretRef(production, "SPRING_FLYWAY_PASSWORD")).isEqualTo("ferry-db/migration-password");
        assertThat(secretRef(production, "SPRING_DATASOURCE_PASSWORD")).isEqualTo("ferry-db/password");
        assertThat(secretRef(production, "FERRY_AUDIT_SIGNING_KEY"))
                .isEqualTo("ferry-audit-signing-key/signing-key.pem");

        // Without a migration user the one user does both, as before.
        JsonNode single = kind(render(CHART.resolve("ci/default-values.yaml")), "Deployment")
                .at("/spec/template/spec/containers/0");
        assertThat(single.path("env").findValuesAsText("name"))
                .contains("SPRING_DATASOURCE_USERNAME")
                .doesNotContain("SPRING_FLYWAY_USER", "SPRING_FLYWAY_PASSWORD", "FERRY_AUDIT_SIGNING_KEY");

        // A trial's chart-made Secret holds both passwords.
        Path trial = Files.createTempFile("values", ".yaml");
        Files.writeString(trial, "database: {migration: {user: ferry_owner, password: owner-pw}}\n");
        List<JsonNode> manifests = render(CHART.resolve("ci/minimal-values.yaml"), trial);
        JsonNode secret = manifests.stream()
                .filter(m -> m.at("/metadata/name").asText().endsWith("-db"))
                .findFirst()
                .orElseThrow();
        assertThat(new String(
                        Base64.getDecoder()
                                .decode(secret.at("/data/migration-password").asText()),
                        StandardCharsets.UTF_8))
                .isEqualTo("owner-pw");
        assertThat(secretRef(
                        kind(manifests, "Deployment").at("/spec/template/spec/containers/0"), "SPRING_FLYWAY_PASSWORD"))
                .isEqualTo("ferry-db/migration-password");

        // The runtime user must not be the owner, and the owner needs a password.
        Result same = template("database: {migration: {user: ferry}}\n");
        assertThat(same.code()).isNotZero();
        assertThat(same.output()).contains("database.migration.user must differ from database.user");
        Path noPassword = Files.createTempFile("values", ".yaml");
        Files.writeString(noPassword, "database: {migration: {user: ferry_owner}}\n");
        Result missing = run(
                helm,
                "template",
                "t",
                CHART.toString(),
                "-f",
                CHART.resolve("ci/minimal-values.yaml").toString(),
                "-f",
                noPassword.toString(),
                "--kube-version",
                "1.29.0");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.output()).contains("database.migration.user needs a password");
    }

    private static String secretRef(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                return ref.path("name").asText() + "/" + ref.path("key").asText();
            }
        }
        throw new AssertionError("no env " + name);
    }

    private static final String KEY = "Y2ktb25seS1mZXJyeS1zZWFsaW5nLWtleS0zMmJ5dGU=";

    private static String sealingKey(List<JsonNode> manifests) {
        return manifests.stream()
                .filter(m -> m.at("/metadata/name").asText().endsWith("-secret-key"))
                .findFirst()
                .orElseThrow()
                .at("/data/secret-key")
                .asText();
    }

    /** Renders the default values with {@code overrides} (YAML) on top. */
    private static Result template(String overrides) throws Exception {
        Path values = Files.createTempFile("values", ".yaml");
        Files.writeString(values, overrides);
        return run(
                helm,
                "template",
                "t",
                CHART.toString(),
                "-f",
                CHART.resolve("ci/default-values.yaml").toString(),
                "-f",
                values.toString(),
                "--kube-version",
                "1.29.0");
    }

    private static List<JsonNode> render(Path... values) throws Exception {
        List<String> command = new ArrayList<>(List.of(helm, "template", "ferry", CHART.toString()));
        for (Path file : values) {
            command.addAll(List.of("-f", file.toString()));
        }
        command.addAll(List.of("--kube-version", "1.29.0"));
        Result result = run(command.toArray(String[]::new));
        assertThat(result.code()).as(result.output()).isZero();
        List<JsonNode> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(result.output())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.has("kind")) {
                    manifests.add(doc);
                }
            }
        }
        return manifests;
    }

    private static JsonNode kind(List<JsonNode> manifests, String kind) {
        return manifests.stream()
                .filter(m -> kind.equals(m.path("kind").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no env " + name);
    }

    record Result(int code, String output) {}

    static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
