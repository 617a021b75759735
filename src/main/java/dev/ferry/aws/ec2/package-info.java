/** EC2 actions: cleanup of the helper instances a migration started (irreversible). */
package dev.ferry.aws.ec2;
