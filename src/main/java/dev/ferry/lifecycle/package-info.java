/**
 * The job lifecycle port: states, events, guards and transitions. Only {@code lifecycle.statemachine}
 * knows that Spring Statemachine implements it.
 */
package dev.ferry.lifecycle;
