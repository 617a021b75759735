package dev.ferry.plan;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/** Rows of {@code plan}. No update or delete: plans are immutable. */
interface PlanRecordRepository extends Repository<PlanRecord, UUID> {

    PlanRecord saveAndFlush(PlanRecord plan);

    Optional<PlanRecord> findById(UUID id);

    Optional<PlanRecord> findByNameAndSha256(String name, String sha256);

    Optional<PlanRecord> findFirstBySourceOrderByVersionDesc(String source);

    /** The id alone: the plan itself comes from {@link PlanCatalog#findById}'s cache. */
    @Query("select p.id from PlanRecord p where p.name = :name order by p.version desc limit 1")
    Optional<UUID> findLatestId(@Param("name") String name);

    @Query("select p.id from PlanRecord p where p.name = :name and p.version = :version")
    Optional<UUID> findId(@Param("name") String name, @Param("version") int version);

    List<PlanRecord> findByNameOrderByVersionDesc(String name);

    /** Serializes registrations of one plan name until the transaction ends (PostgreSQL advisory lock). */
    @Query(value = "select pg_advisory_xact_lock(hashtext('ferry.plan:' || :name))::text", nativeQuery = true)
    String lockName(@Param("name") String name);

    @Query("select coalesce(max(p.version), 0) from PlanRecord p where p.name = :name")
    int maxVersion(@Param("name") String name);

    @Query("select p from PlanRecord p where p.version = "
            + "(select max(q.version) from PlanRecord q where q.name = p.name) order by p.name")
    List<PlanRecord> findLatestVersions();
}
