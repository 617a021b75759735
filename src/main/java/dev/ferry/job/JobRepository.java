package dev.ferry.job;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface JobRepository extends JpaRepository<MigrationJob, UUID> {

    /** {@code SELECT ... FOR UPDATE}: every change to a job runs under this lock. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select j from MigrationJob j where j.id = :id")
    Optional<MigrationJob> findLocked(@Param("id") UUID id);
}
