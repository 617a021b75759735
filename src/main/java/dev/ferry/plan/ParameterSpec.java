package dev.ferry.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A declared job parameter.
 *
 * @param defaultValue used when the job does not give one; null when there is none
 * @param secret never shown in job views, events or previews
 */
public record ParameterSpec(
        String name, ParameterType type, boolean required, JsonNode defaultValue, boolean secret, String description) {}
