package dev.ferry.approval;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApprovalRepository extends JpaRepository<Approval, UUID> {

    List<Approval> findByPhaseExecutionIdAndRound(UUID phaseExecutionId, int round);

    List<Approval> findByJobIdOrderByCreatedAt(UUID jobId);
}
