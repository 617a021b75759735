/**
 * CloudFormation actions: the PREPARE-phase drift check the devops guide asks for ("do not
 * migrate a drifted stack": a later {@code cdk deploy} would revert the manual changes).
 */
package dev.ferry.aws.cloudformation;
