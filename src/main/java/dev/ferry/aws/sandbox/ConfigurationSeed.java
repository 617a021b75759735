package dev.ferry.aws.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * SSM parameters (the traffic split and maintenance switches a plan flips, the ETL's Sentry DSN)
 * and the Secrets Manager secrets of the guide, with sandbox values only.
 */
final class ConfigurationSeed {

    record Parameter(String name, String value, ParameterType type) {}

    static final List<Parameter> PARAMETERS = List.of(
            new Parameter("/fluxion/backend/traffic-split", "0", ParameterType.STRING),
            new Parameter("/fluxion/maintenance", "false", ParameterType.STRING),
            new Parameter("/fluxion/etl/sentry-dsn", "https://sandbox@sentry.invalid/1", ParameterType.SECURE_STRING));

    static final String POSTGRES_SECRET = "fluxion/postgres-credentials";
    static final String PRODUCTION_SECRET = "fluxion/production";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SsmClient ssm;
    private final SecretsManagerClient secrets;

    ConfigurationSeed(SsmClient ssm, SecretsManagerClient secrets) {
        this.ssm = ssm;
        this.secrets = secrets;
    }

    void seed(String databaseHost) {
        PARAMETERS.forEach(this::parameter);
        Map<String, Object> postgres = new LinkedHashMap<>();
        postgres.put("username", DatabaseSeed.USERNAME);
        postgres.put("password", DatabaseSeed.SANDBOX_PASSWORD);
        postgres.put("engine", "postgres");
        postgres.put("host", databaseHost);
        postgres.put("port", 5432);
        postgres.put("dbname", DatabaseSeed.DATABASE);
        secret(POSTGRES_SECRET, "Credenciales PostgreSQL RDS", postgres);
        secret(
                PRODUCTION_SECRET,
                "Secretos de produccion (SendGrid, emails)",
                Map.of("SENDGRID_API_KEY", "SG.sandbox", "ALERT_EMAILS", "ops@fluxionia.co"));
        secret(
                "fluxion/sql-credentials",
                "Credenciales SQL Server La Granja (ETL)",
                Map.of("username", "etl", "password", "sandbox", "host", "192.168.20.10", "port", 1433));
        secret(
                "fluxion/wireguard-config",
                "Config WireGuard (keys, peers, endpoint)",
                Map.of("endpoint", "f0270ee31a20.sn.mynetname.net:51820", "address", "10.32.0.24/32"));
    }

    private void parameter(Parameter parameter) {
        try {
            ssm.getParameter(r -> r.name(parameter.name()));
        } catch (ParameterNotFoundException missing) {
            // Never overwrite: a job may have set maintenance=true or moved the split, and owns that value.
            ssm.putParameter(r -> r.name(parameter.name())
                    .value(parameter.value())
                    .type(parameter.type())
                    .overwrite(false));
        }
    }

    private void secret(String name, String description, Map<String, Object> value) {
        try {
            secrets.describeSecret(r -> r.secretId(name));
        } catch (ResourceNotFoundException missing) {
            secrets.createSecret(r -> r.name(name)
                    .description(description)
                    .secretString(json(value))
                    .tags(t -> t.key("Project").value("fluxion")));
        }
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
