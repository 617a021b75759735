/**
 * Elastic Load Balancing v2 actions: the weighted forward between target groups that an ALB
 * cutover shifts step by step, with the previous weights kept for compensation.
 */
package dev.ferry.aws.elbv2;
