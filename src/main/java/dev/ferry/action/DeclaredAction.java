package dev.ferry.action;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An action whose name and parameter schema are declared once: the schema is read from
 * {@code schemas/actions/<name>.json}, so plan authors and editors can use the same file.
 */
public abstract class DeclaredAction implements ActionHandler {

    private final String name;
    private final JsonNode schema;

    protected DeclaredAction(String name) {
        this.name = name;
        this.schema = ActionSchemas.load(name);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final JsonNode parameterSchema() {
        return schema;
    }
}
