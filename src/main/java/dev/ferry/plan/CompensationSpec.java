package dev.ferry.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The action that undoes a step, with its parameters (templates allowed). */
public record CompensationSpec(String action, ObjectNode with) {}
