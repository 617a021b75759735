/** The append-only audit timeline of every job. */
package dev.ferry.audit;
