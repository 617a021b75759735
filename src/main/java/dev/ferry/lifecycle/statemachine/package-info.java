/** The only package that imports Spring Statemachine: it implements {@link dev.ferry.lifecycle.JobLifecycle}. */
package dev.ferry.lifecycle.statemachine;
