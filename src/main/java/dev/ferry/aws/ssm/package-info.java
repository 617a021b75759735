/**
 * Systems Manager actions: Parameter Store values (maintenance flags, traffic splits) with their
 * previous version remembered, and Run Command on helper instances.
 */
package dev.ferry.aws.ssm;
