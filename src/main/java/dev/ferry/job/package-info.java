/** Migration jobs, their phases and steps, and the operator's commands on them. */
package dev.ferry.job;
