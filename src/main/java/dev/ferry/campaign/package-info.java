/**
 * Campaigns: one plan version run over a fleet of targets in waves, with the blast radius under
 * control (concurrency per wave, an approval before a wave, a soak after it, a failure threshold
 * that stops new jobs). The jobs a campaign starts are ordinary jobs, created, started, approved
 * and rolled back through the job, approval and rollback services like any operator's.
 */
package dev.ferry.campaign;
