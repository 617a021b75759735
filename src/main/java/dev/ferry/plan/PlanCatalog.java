package dev.ferry.plan;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The registered plans: the plan capability's port for the rest of Ferry.
 *
 * <p>Contract:
 * <ul>
 *   <li>A plan version is immutable. Registering changed content under an existing name adds
 *       version max+1; nothing is ever updated or deleted, so a job's plan id always means the
 *       same document.</li>
 *   <li>{@link #register} is idempotent on (name, content): the same document, in YAML or JSON,
 *       with any key order or comments, returns the existing version with {@code created=false}.</li>
 *   <li>Concurrent registrations of one name take turns on a transaction-scoped advisory lock,
 *       so versions have no gaps or duplicates; the unique constraints (name+version,
 *       name+sha256) remain the guarantee.</li>
 *   <li>{@code register} runs in its own transaction (REQUIRES_NEW): it does not join a caller's.</li>
 *   <li>Every plan returned was parsed by {@link PlanParser} with the current action handlers.</li>
 * </ul>
 */
@Service
public class PlanCatalog {

    private final PlanRecordRepository records;
    private final PlanParser parser;
    private final TransactionTemplate newTransaction;
    private final TransactionTemplate readOnly;
    private final Clock clock;
    // Rows never change, so a parsed document can be kept for the life of the process; plans are few.
    private final Map<UUID, PlanDocument> documents = new ConcurrentHashMap<>();
    private final Map<UUID, StoredPlan> byId = new ConcurrentHashMap<>();

    public PlanCatalog(
            PlanRecordRepository records, PlanParser parser, PlatformTransactionManager transactions, Clock clock) {
        this.records = records;
        this.parser = parser;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.clock = clock;
    }

    /**
     * Validates {@code source} and stores it as a new version of the plan it names, unless that
     * exact document is already stored.
     *
     * @throws PlanInvalidException listing every problem; nothing is stored
     */
    public RegisteredPlan register(String source, SourceType type, String actor, boolean builtIn) {
        ParsedPlan parsed = parser.read(source, type);
        return newTransaction.execute(status -> registerOnce(parsed, source, type, actor, builtIn));
    }

    /**
     * The name and version of a stored plan whose source is exactly {@code source}, if any: a
     * start-up that finds its built-in plans unchanged skips parsing and validating them.
     */
    public Optional<String> registeredAs(String source) {
        return readOnly.execute(status -> records.findFirstBySourceOrderByVersionDesc(source)
                .map(r -> r.getName() + " version " + r.getVersion()));
    }

    /** A version of a plan, or its latest version when {@code version} is null. */
    public Optional<StoredPlan> find(String name, Integer version) {
        // Only the id is read: every job's creation names its plan, and a version never changes.
        Optional<UUID> id = readOnly.execute(
                status -> version == null ? records.findLatestId(name) : records.findId(name, version));
        return id.flatMap(this::findById);
    }

    /** Like {@link #find}, for callers that need the plan to exist. @throws PlanNotFoundException */
    public StoredPlan get(String name, Integer version) {
        return find(name, version).orElseThrow(() -> new PlanNotFoundException(name, version));
    }

    /**
     * A stored plan by id. Plan versions are immutable (content-addressed, never updated or
     * deleted), so each is read from the database once: every step advance and job view needs it.
     */
    public Optional<StoredPlan> findById(UUID id) {
        StoredPlan cached = byId.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<StoredPlan> plan =
                readOnly.execute(status -> records.findById(id).map(this::toStored));
        plan.ifPresent(p -> byId.put(id, p));
        return plan;
    }

    /** The latest version of every plan, by name. */
    public List<StoredPlan> listLatest() {
        return readOnly.execute(status ->
                records.findLatestVersions().stream().map(this::toStored).toList());
    }

    /** Every version of a plan, newest first; empty when there is no such plan. */
    public List<StoredPlan> versions(String name) {
        return readOnly.execute(status -> records.findByNameOrderByVersionDesc(name).stream()
                .map(this::toStored)
                .toList());
    }

    private RegisteredPlan registerOnce(
            ParsedPlan parsed, String source, SourceType type, String actor, boolean builtIn) {
        String name = parsed.document().name();
        // Registrations of one name take turns, so "max + 1" is never taken twice; the unique
        // constraints remain the guarantee.
        records.lockName(name);
        Optional<PlanRecord> same = records.findByNameAndSha256(name, parsed.sha256());
        if (same.isPresent()) {
            return new RegisteredPlan(toStored(same.get()), false);
        }
        PlanRecord record = new PlanRecord(
                UUID.randomUUID(),
                name,
                records.maxVersion(name) + 1,
                parsed.sha256(),
                parsed.document().description(),
                parsed.canonicalJson(),
                source,
                type,
                builtIn,
                // PostgreSQL keeps microseconds: truncate so the returned plan equals the stored one.
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS),
                actor);
        PlanRecord saved = records.saveAndFlush(record);
        documents.put(saved.getId(), parsed.document());
        return new RegisteredPlan(toStored(saved), true);
    }

    private StoredPlan toStored(PlanRecord record) {
        PlanDocument document =
                documents.computeIfAbsent(record.getId(), id -> parser.parse(record.getDocument(), SourceType.JSON));
        return new StoredPlan(
                record.getId(),
                record.getName(),
                record.getVersion(),
                record.getSha256(),
                record.getDescription(),
                document,
                record.getSource(),
                record.getSourceType(),
                record.isBuiltIn(),
                record.getCreatedAt(),
                record.getCreatedBy());
    }
}
