/** The database Ferry runs on: an external PostgreSQL, or an embedded one when none is configured. */
package dev.ferry.database;
