/** The few types every capability shares: who acts, and how a refusal is described. */
package dev.ferry.common;
