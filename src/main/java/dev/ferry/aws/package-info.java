/** AWS action handlers and the SDK client factory: the only package that imports the AWS SDK. */
package dev.ferry.aws;
