package dev.ferry.audit;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.repository.Repository;

interface JobEventRepository extends Repository<JobEventRecord, Long> {

    List<JobEventRecord> findByJobIdAndSeqGreaterThanOrderBySeq(UUID jobId, long after, Limit limit);
}
