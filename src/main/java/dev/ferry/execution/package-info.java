/** Workers: claiming due steps with leases, running them outside transactions, wake-ups. */
package dev.ferry.execution;
