/** IAM policy simulation for preflight: may the job's principal call what its plan will call. */
package dev.ferry.aws.iam;
