package dev.ferry.plan;

import dev.ferry.common.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * A row of the {@code plan} table. Plans are immutable once registered: Hibernate never issues an
 * update for this entity, and a change to a plan is a new version, a new row.
 */
@Entity
@Table(name = "plan")
@Immutable
public class PlanRecord extends AssignedIdEntity {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private int version;

    // char(64): mapped as CHAR so that schema validation matches PostgreSQL's bpchar.
    @Column(nullable = false)
    private String sha256;

    private String description;

    // Canonical JSON text; kept as a string so it is stored exactly as hashed and parsed by PlanParser.
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(nullable = false)
    private String document;

    @Column(nullable = false)
    private String source;

    @Column(name = "source_type", nullable = false)
    private String sourceType;

    @Column(name = "built_in", nullable = false)
    private boolean builtIn;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    protected PlanRecord() {}

    PlanRecord(
            UUID id,
            String name,
            int version,
            String sha256,
            String description,
            String document,
            String source,
            SourceType sourceType,
            boolean builtIn,
            Instant createdAt,
            String createdBy) {
        this.id = id;
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
        this.description = description;
        this.document = document;
        this.source = source;
        this.sourceType = sourceType.key();
        this.builtIn = builtIn;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    @Override
    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public int getVersion() {
        return version;
    }

    public String getSha256() {
        return sha256;
    }

    public String getDescription() {
        return description;
    }

    public String getDocument() {
        return document;
    }

    public String getSource() {
        return source;
    }

    public SourceType getSourceType() {
        return SourceType.fromKey(sourceType);
    }

    public boolean isBuiltIn() {
        return builtIn;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getCreatedBy() {
        return createdBy;
    }
}
