package dev.ferry.plan;

/** The types a plan parameter may declare ({@code type: string}). */
public enum ParameterType {
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    DURATION,
    LIST,
    MAP
}
