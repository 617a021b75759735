package dev.ferry.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where the embedded PostgreSQL keeps its data ({@code ferry.database.embedded.*}). */
@ConfigurationProperties("ferry.database.embedded")
public record EmbeddedDatabaseProperties(
        @DefaultValue("./.ferry/pgdata") Path dataDirectory, @DefaultValue("0") int port) {}
