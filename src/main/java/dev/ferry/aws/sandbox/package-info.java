/**
 * Sandbox mode: a newcomer's Ferry against a local moto server seeded with the Fluxion estate.
 *
 * <p>{@link dev.ferry.aws.sandbox.SandboxEnvironment} starts the emulator before the context exists
 * (so {@code ferry.aws.endpoint} is in place when the AWS client factory is built);
 * {@link dev.ferry.aws.sandbox.FluxionEstate} seeds it, one class per AWS service. Nothing here is
 * active unless the {@code sandbox} profile or {@code ferry.sandbox.enabled=true} asks for it.
 */
package dev.ferry.aws.sandbox;
