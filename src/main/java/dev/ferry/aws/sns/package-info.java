/** Amazon SNS: publishing Ferry's notifications to topics. */
package dev.ferry.aws.sns;
