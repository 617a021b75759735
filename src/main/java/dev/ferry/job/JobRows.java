package dev.ferry.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.Column;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Version;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How changes and views read a job and changes write it: the job (locked for a change), its phases
 * and steps read in plain JDBC, and written back column by column, only what the change altered.
 * Hibernate's load, dirty check and flush of the 22 entities were two thirds of a worker's CPU
 * (JFR, README); JPA still creates jobs. Every written row's version is bumped and checked, as
 * Hibernate's {@code @Version} does: a claim may have moved a step meanwhile, and then nothing is
 * written and the change is retried ({@link JobLocks}).
 *
 * <p>The mapping is read from the entities' own fields and annotations, so the two cannot
 * disagree on a column (JobRowsIT compares them). As with Hibernate's immutable JSON mutability,
 * a JSON value is replaced, never changed in place: a value is compared to what was read by
 * equality.
 */
@Component
class JobRows {

    /** As Hibernate's default JSON format mapper reads and writes trees. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Table<MigrationJob> JOBS = new Table<>(MigrationJob.class, "migration_job");
    private static final Table<PhaseExecution> PHASES = new Table<>(PhaseExecution.class, "phase_execution");
    private static final Table<StepExecution> STEPS = new Table<>(StepExecution.class, "step_execution");

    private static final String CHILDREN = ";\n" + PHASES.select + " WHERE job_id = ? ORDER BY ordinal;\n"
            + STEPS.select + " WHERE job_id = ? ORDER BY ordinal";
    private static final String LOCK = JOBS.select + " WHERE id = ? FOR UPDATE" + CHILDREN;
    private static final String READ = JOBS.select + " WHERE id = ?" + CHILDREN;

    private final JdbcTemplate jdbc;

    JobRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A job as read, and each of its rows' values as read, to write back only what changes. */
    static final class Loaded {

        private final MigrationJob job;
        private final Object[] jobRead;
        private final List<Object[]> phasesRead = new ArrayList<>();
        private final List<Object[]> stepsRead = new ArrayList<>();

        private Loaded(MigrationJob job, Object[] jobRead) {
            this.job = job;
            this.jobRead = jobRead;
        }

        MigrationJob job() {
            return job;
        }
    }

    /**
     * The job, locked {@code FOR UPDATE} in the caller's transaction, with its phases and steps:
     * three statements sent together, one round trip. Each runs after the one before, so phases
     * and steps are read once the lock is held, as two more queries would read them.
     */
    Optional<Loaded> lock(UUID jobId) {
        return load(LOCK, jobId);
    }

    /** The job with its phases and steps, not locked: for views. */
    Optional<MigrationJob> read(UUID jobId) {
        return load(READ, jobId).map(Loaded::job);
    }

    private Optional<Loaded> load(String sql, UUID jobId) {
        return jdbc.execute(sql, (PreparedStatement statement) -> {
            for (int i = 1; i <= 3; i++) {
                statement.setObject(i, jobId);
            }
            statement.execute();
            Loaded loaded;
            try (ResultSet rs = statement.getResultSet()) {
                if (!rs.next()) {
                    return Optional.<Loaded>empty();
                }
                Object[] read = JOBS.read(rs);
                loaded = new Loaded(JOBS.create(read), read);
            }
            children(statement, PHASES, loaded.job, loaded.job.phases(), loaded.phasesRead);
            children(statement, STEPS, loaded.job, loaded.job.steps(), loaded.stepsRead);
            return Optional.of(loaded);
        });
    }

    /** Reads the next result, a job's phases or steps in order, into {@code into}, keeping each row as read. */
    private static <E> void children(
            PreparedStatement statement, Table<E> table, MigrationJob job, List<E> into, List<Object[]> reads)
            throws SQLException {
        statement.getMoreResults();
        try (ResultSet rs = statement.getResultSet()) {
            while (rs.next()) {
                Object[] read = table.read(rs);
                E child = table.create(read);
                table.own(child, job);
                into.add(child);
                reads.add(read);
            }
        }
    }

    /**
     * Writes the columns the change altered, each row fenced by its version (bumped).
     *
     * @throws OptimisticLockingFailureException if a row changed since it was read
     */
    void write(Loaded loaded) {
        MigrationJob job = loaded.job;
        if (job.phases().size() != loaded.phasesRead.size() || job.steps().size() != loaded.stepsRead.size()) {
            // Phases and steps are only created with their job (JPA's path); a change here adds none.
            throw new IllegalStateException("a change added phases or steps to job " + job.id());
        }
        List<Update> updates = new ArrayList<>();
        for (int i = 0; i < job.steps().size(); i++) {
            STEPS.update(job.steps().get(i), loaded.stepsRead.get(i)).ifPresent(updates::add);
        }
        for (int i = 0; i < job.phases().size(); i++) {
            PHASES.update(job.phases().get(i), loaded.phasesRead.get(i)).ifPresent(updates::add);
        }
        JOBS.update(job, loaded.jobRead).ifPresent(updates::add);
        execute(updates);
    }

    /** All of a change's row updates sent together, one round trip; each must find its row. */
    private void execute(List<Update> updates) {
        if (updates.isEmpty()) {
            return;
        }
        String sql = String.join(";\n", updates.stream().map(Update::sql).toList());
        jdbc.execute(sql, (PreparedStatement statement) -> {
            int at = 1;
            for (Update update : updates) {
                at = bind(statement, at, update.values);
            }
            statement.execute();
            for (Update update : updates) {
                if (statement.getUpdateCount() == 0) {
                    throw new OptimisticLockingFailureException(
                            "row " + update.id + " changed since it was read (" + update.sql + ")");
                }
                statement.getMoreResults();
            }
            return null;
        });
    }

    /** Binds {@code values} from parameter {@code at} on; returns the next parameter's index. */
    private static int bind(PreparedStatement statement, int at, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            int parameter = at + i;
            if (value == null) {
                statement.setNull(parameter, Types.OTHER);
            } else if (value instanceof Instant instant) {
                statement.setObject(parameter, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else if (value instanceof Enum<?> constant) {
                statement.setString(parameter, constant.name());
            } else if (value instanceof JsonNode node) {
                statement.setString(parameter, json(node));
            } else {
                statement.setObject(parameter, value);
            }
        }
        return at + values.length;
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Update(String sql, Object id, Object[] values) {}

    /** The columns of one entity's table, from its fields: what JPA maps, as Spring names it. */
    private static final class Table<E> {

        private final Constructor<E> constructor;
        private final String name;
        private final List<Field> fields = new ArrayList<>();
        private final List<String> columns = new ArrayList<>();
        private final String select;
        private final int id;
        private final int version;
        /** The owning job ({@code @ManyToOne}), set on load; null for the job itself. */
        private final Field parent;

        Table(Class<E> type, String name) {
            this.name = name;
            try {
                this.constructor = type.getDeclaredConstructor();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(type + " has no constructor without arguments", e);
            }
            constructor.setAccessible(true);
            Field owner = null;
            int idAt = -1;
            int versionAt = -1;
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.isAnnotationPresent(OneToMany.class)) {
                    continue;
                }
                field.setAccessible(true);
                if (field.isAnnotationPresent(ManyToOne.class)) {
                    owner = field;
                    continue;
                }
                if (field.getName().equals("id")) {
                    idAt = fields.size();
                }
                if (field.isAnnotationPresent(Version.class)) {
                    versionAt = fields.size();
                }
                Column column = field.getAnnotation(Column.class);
                fields.add(field);
                columns.add(column != null && !column.name().isEmpty() ? column.name() : snakeCase(field.getName()));
            }
            if (idAt < 0 || versionAt < 0) {
                throw new IllegalStateException(type + " has no id or no version");
            }
            this.id = idAt;
            this.version = versionAt;
            this.parent = owner;
            this.select = "SELECT " + String.join(", ", columns) + " FROM " + name;
        }

        Object[] read(ResultSet rs) throws SQLException {
            Object[] values = new Object[fields.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = read(rs, i + 1, fields.get(i).getType());
            }
            return values;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static Object read(ResultSet rs, int column, Class<?> type) throws SQLException {
            if (type == Instant.class) {
                OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
                return at == null ? null : at.toInstant();
            } else if (type.isEnum()) {
                String value = rs.getString(column);
                return value == null ? null : Enum.valueOf((Class<Enum>) type, value);
            } else if (type == JsonNode.class) {
                String value = rs.getString(column);
                try {
                    return value == null ? null : JSON.readTree(value);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("unreadable JSON in column " + column, e);
                }
            } else if (type == int.class) {
                return rs.getInt(column);
            } else if (type == long.class) {
                return rs.getLong(column);
            } else if (type == boolean.class) {
                return rs.getBoolean(column);
            } else if (type == Long.class) {
                long value = rs.getLong(column);
                return rs.wasNull() ? null : value;
            } else if (type == byte[].class) {
                return rs.getBytes(column);
            } else if (type == UUID.class || type == String.class) {
                return rs.getObject(column, type);
            }
            throw new IllegalStateException("no JDBC mapping for " + type);
        }

        E create(Object[] values) {
            try {
                E entity = constructor.newInstance();
                for (int i = 0; i < values.length; i++) {
                    fields.get(i).set(entity, values[i]);
                }
                return entity;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        /** An update of the columns whose value differs from {@code read}, version bumped; empty if none. */
        Optional<Update> update(E entity, Object[] read) {
            // Most rows of a change are unchanged: nothing is built for them.
            StringBuilder sql = null;
            List<Object> values = null;
            for (int i = 0; i < fields.size(); i++) {
                if (i == version || i == id) {
                    continue;
                }
                Object now = get(entity, i);
                if (same(now, read[i])) {
                    continue;
                }
                if (sql == null) {
                    sql = new StringBuilder("UPDATE ").append(name).append(" SET ");
                    values = new ArrayList<>();
                }
                sql.append(columns.get(i))
                        .append(fields.get(i).getType() == JsonNode.class ? " = ?::jsonb, " : " = ?, ");
                values.add(now);
            }
            if (sql == null) {
                return Optional.empty();
            }
            long bumped = (Long) read[version] + 1;
            set(entity, version, bumped);
            sql.append(columns.get(version))
                    .append(" = ? WHERE ")
                    .append(columns.get(id))
                    .append(" = ? AND ")
                    .append(columns.get(version))
                    .append(" = ?");
            values.add(bumped);
            values.add(read[id]);
            values.add(read[version]);
            return Optional.of(new Update(sql.toString(), read[id], values.toArray()));
        }

        private static boolean same(Object now, Object read) {
            return now instanceof byte[] bytes && read instanceof byte[] readBytes
                    ? Arrays.equals(bytes, readBytes)
                    : Objects.equals(now, read);
        }

        /** Sets the entity's owning job, as Hibernate's lazy reference would resolve to it. */
        void own(E entity, MigrationJob job) {
            try {
                parent.set(entity, job);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private Object get(E entity, int field) {
            try {
                return fields.get(field).get(entity);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private void set(E entity, int field, Object value) {
            try {
                fields.get(field).set(entity, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String snakeCase(String name) {
            return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }
    }
}
