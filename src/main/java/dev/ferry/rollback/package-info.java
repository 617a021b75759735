/** Rollback requests: idempotency, the point of no return; the saga itself runs in the job engine. */
package dev.ferry.rollback;
