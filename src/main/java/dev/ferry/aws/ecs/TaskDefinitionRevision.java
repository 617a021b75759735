package dev.ferry.aws.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.action.ActionFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.EFSVolumeConfiguration;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.Volume;

/**
 * A copy of a task definition with the overrides of {@code aws.ecs.registerTaskDefinitionRevision}
 * applied: EFS file system per volume, container environment and image. Everything else the source
 * carries is kept, so the new revision differs from the running one only where the plan says.
 */
final class TaskDefinitionRevision {

    /** Tag holding {@link #fingerprint}: how a retry finds the revision an earlier call registered. */
    static final String OVERRIDES_TAG = "ferry:overrides";

    static final String SOURCE_TAG = "ferry:source";

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private TaskDefinitionRevision() {}

    /** Identifies "this source with these overrides", independent of key order in the plan. */
    static String fingerprint(String sourceArn, JsonNode with) {
        Map<String, Object> identity = new TreeMap<>();
        identity.put("source", sourceArn);
        for (String field : List.of("efsVolumes", "environment", "images")) {
            identity.put(field, CANONICAL.convertValue(with.path(field), Object.class));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(CANONICAL.writeValueAsString(identity).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static RegisterTaskDefinitionRequest copy(
            TaskDefinition source, List<Tag> sourceTags, JsonNode with, String fingerprint) {
        return RegisterTaskDefinitionRequest.builder()
                .family(source.family())
                .taskRoleArn(source.taskRoleArn())
                .executionRoleArn(source.executionRoleArn())
                .networkMode(source.networkModeAsString())
                .containerDefinitions(containers(source.containerDefinitions(), with))
                .volumes(volumes(source.volumes(), with.path("efsVolumes")))
                .placementConstraints(source.placementConstraints())
                .requiresCompatibilitiesWithStrings(source.requiresCompatibilitiesAsStrings())
                .cpu(source.cpu())
                .memory(source.memory())
                .pidMode(source.pidModeAsString())
                .ipcMode(source.ipcModeAsString())
                .proxyConfiguration(source.proxyConfiguration())
                .inferenceAccelerators(source.inferenceAccelerators())
                .ephemeralStorage(source.ephemeralStorage())
                .runtimePlatform(source.runtimePlatform())
                .enableFaultInjection(source.enableFaultInjection())
                .tags(tags(sourceTags, source.taskDefinitionArn(), fingerprint))
                .build();
    }

    private static List<ContainerDefinition> containers(List<ContainerDefinition> source, JsonNode with) {
        JsonNode environment = with.path("environment");
        JsonNode images = with.path("images");
        List<String> names = source.stream().map(ContainerDefinition::name).toList();
        requireKnown(environment, names, "ContainerNotFound", "container");
        requireKnown(images, names, "ContainerNotFound", "container");
        return source.stream()
                .map(c -> {
                    ContainerDefinition.Builder copy = c.toBuilder();
                    if (environment.has(c.name())) {
                        copy.environment(mergeEnvironment(c.environment(), environment.get(c.name())));
                    }
                    if (images.has(c.name())) {
                        copy.image(images.get(c.name()).asText());
                    }
                    return copy.build();
                })
                .toList();
    }

    /** Replaces existing variables in place and appends new ones, keeping the source's order. */
    private static List<KeyValuePair> mergeEnvironment(List<KeyValuePair> source, JsonNode overrides) {
        Map<String, String> merged = new LinkedHashMap<>();
        source.forEach(kv -> merged.put(kv.name(), kv.value()));
        overrides
                .fields()
                .forEachRemaining(e -> merged.put(e.getKey(), e.getValue().asText()));
        List<KeyValuePair> result = new ArrayList<>();
        merged.forEach(
                (k, v) -> result.add(KeyValuePair.builder().name(k).value(v).build()));
        return result;
    }

    private static List<Volume> volumes(List<Volume> source, JsonNode efsVolumes) {
        requireKnown(efsVolumes, source.stream().map(Volume::name).toList(), "VolumeNotFound", "volume");
        return source.stream()
                .map(v -> {
                    if (!efsVolumes.has(v.name())) {
                        return v;
                    }
                    if (v.efsVolumeConfiguration() == null) {
                        throw new ActionFailure(false, "VolumeNotEfs", "volume " + v.name() + " is not an EFS volume");
                    }
                    return v.toBuilder()
                            .efsVolumeConfiguration(efs(v.efsVolumeConfiguration(), efsVolumes.get(v.name())))
                            .build();
                })
                .toList();
    }

    /** A plain string is the file system id; an object may also name the new file system's access point. */
    private static EFSVolumeConfiguration efs(EFSVolumeConfiguration source, JsonNode override) {
        EFSVolumeConfiguration.Builder copy = source.toBuilder();
        if (override.isTextual()) {
            if (source.authorizationConfig() != null
                    && source.authorizationConfig().accessPointId() != null) {
                // An access point belongs to one file system: keeping the old one would break the mount.
                throw new ActionFailure(
                        false,
                        "AccessPointRequired",
                        "the volume mounts access point "
                                + source.authorizationConfig().accessPointId() + " of the old file system; give "
                                + "{fileSystemId, accessPointId} for the new one");
            }
            return copy.fileSystemId(override.asText()).build();
        }
        copy.fileSystemId(override.get("fileSystemId").asText());
        if (override.has("rootDirectory")) {
            copy.rootDirectory(override.get("rootDirectory").asText());
        }
        if (override.has("accessPointId")) {
            copy.authorizationConfig(
                    a -> a.accessPointId(override.get("accessPointId").asText())
                            .iam(
                                    source.authorizationConfig() == null
                                            ? null
                                            : source.authorizationConfig().iamAsString()));
        }
        return copy.build();
    }

    private static void requireKnown(JsonNode overrides, List<String> names, String code, String kind) {
        overrides.fieldNames().forEachRemaining(name -> {
            if (!names.contains(name)) {
                throw new ActionFailure(
                        false,
                        code,
                        "the task definition has no " + kind + " named " + name + " (it has " + names + ")");
            }
        });
    }

    private static List<Tag> tags(List<Tag> sourceTags, String sourceArn, String fingerprint) {
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : sourceTags) {
            // aws: tags are reserved; our own are replaced below.
            if (!tag.key().startsWith("aws:") && !tag.key().startsWith("ferry:")) {
                tags.add(tag);
            }
        }
        tags.add(Tag.builder().key(OVERRIDES_TAG).value(fingerprint).build());
        tags.add(Tag.builder().key(SOURCE_TAG).value(sourceArn).build());
        return tags;
    }
}
