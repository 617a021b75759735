/** Plan documents: parsing, validation, templating, versioning, built-in plans. */
package dev.ferry.plan;
