/**
 * ECS actions: scaling, waiting for stability, task definition revisions, deployments and one-off
 * tasks. Each captures what it needs to undo in the step memo before it changes anything.
 */
package dev.ferry.aws.ecs;
