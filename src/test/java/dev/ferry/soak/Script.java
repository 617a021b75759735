package dev.ferry.soak;

import java.util.UUID;

/**
 * What the soak does to one job, and how the job must end. Every script writes an SSM parameter
 * and copies an S3 object; the scripts differ in whether a two-person approval gate is passed and
 * whether the job is rolled back (so both compensations must run exactly once too).
 */
enum Script {

    /** Runs through without a gate. */
    PLAIN(false, "SUCCEEDED"),
    /** Stops at CUTOVER until two approvers (neither the creator) approve. */
    APPROVED(true, "SUCCEEDED"),
    /** Rolled back as soon as it is seen running, wherever its steps are. */
    ROLLED_BACK_EARLY(true, "ROLLED_BACK"),
    /** Rolled back while it waits at the CUTOVER gate, after every side effect happened. */
    ROLLED_BACK_AT_GATE(true, "ROLLED_BACK");

    /** Steps long enough that kills land while they run; {@code gate} adds the CUTOVER approval. */
    private static final String PLAN =
            """
            name: %s
            parameters:
              - {name: bucket, type: string, required: true}
            phases:
              prepare:
                steps:
                  - {id: settle, action: wait, with: {duration: PT1S}}
                  - id: flag
                    action: aws.ssm.putParameter
                    with: {name: "/ferry-soak/${job.id}/flag", value: "${job.id}", type: String}
              copy:
                steps:
                  - id: copy
                    action: aws.s3.copyObject
                    with: {sourceBucket: "${params.bucket}", sourceKey: seed.txt,
                           targetBucket: "${params.bucket}", targetKey: "copies/${job.id}"}
              verify:
                steps:
                  - {id: soak, action: wait, with: {duration: PT0.5S}}
            """;

    private static final String GATE =
            """
              cutover:
                approval: {required: 2, roles: [approver]}
                steps:
                  - {id: switch, action: noop}
            """;

    private final boolean gated;
    private final String finalState;

    Script(boolean gated, String finalState) {
        this.gated = gated;
        this.finalState = finalState;
    }

    /** The script of the {@code n}th job: the four alternate, so even a short run has all of them. */
    static Script of(int n) {
        return values()[n % values().length];
    }

    boolean gated() {
        return gated;
    }

    String finalState() {
        return finalState;
    }

    /** Whether the job's side effects must still be there at the end (else compensated away). */
    boolean keepsSideEffects() {
        return finalState.equals("SUCCEEDED");
    }

    static String plan(boolean gated) {
        return gated ? PLAN + GATE : PLAN;
    }

    static String parameterName(UUID job) {
        return "/ferry-soak/" + job + "/flag";
    }

    static String objectKey(UUID job) {
        return "copies/" + job;
    }
}
