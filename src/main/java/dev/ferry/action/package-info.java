/** The {@link dev.ferry.action.ActionHandler} SPI every step runs through, and the local actions. */
package dev.ferry.action;
