/**
 * API Gateway actions: the ECS-migration runbook's "backup of the API Gateway configuration", as
 * an OpenAPI export of a REST API stage written to S3.
 */
package dev.ferry.aws.apigateway;
