package dev.ferry.approval;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * Written as JPQL, not derived from the method names: Hibernate caches a JPQL query's plan, while a
 * derived query is a new criteria tree translated on every call (an approval runs three of these).
 */
interface ApprovalRepository extends JpaRepository<Approval, UUID> {

    @Query("select a from Approval a where a.phaseExecutionId = :phaseExecutionId and a.round = :round")
    List<Approval> findByPhaseExecutionIdAndRound(
            @Param("phaseExecutionId") UUID phaseExecutionId, @Param("round") int round);

    @Query("select a from Approval a where a.jobId = :jobId order by a.createdAt")
    List<Approval> findByJobIdOrderByCreatedAt(@Param("jobId") UUID jobId);
}
