package dev.ferry.security;

import java.util.List;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;

/**
 * Ferry's roles. Each human role also reads ({@code viewer}); no role implies another one that
 * changes something, so an administrator who wants to run jobs is given {@code operator} too.
 * {@code alerter} is a machine's role and reads nothing.
 */
public final class Roles {

    /** Reads jobs, events, plans, the lifecycle, previews, metrics. */
    public static final String VIEWER = "viewer";
    /** Creates jobs and runs their commands: start, pause, resume, retry, cancel, rollback, skip, reschedule. */
    public static final String OPERATOR = "operator";
    /** Approves and rejects phases (a plan may ask for more roles, such as {@code dba}). */
    public static final String APPROVER = "approver";
    /** Alerting systems: the Alertmanager and generic alert endpoints, nothing else. */
    public static final String ALERTER = "alerter";
    /** Registers plans. */
    public static final String ADMIN = "admin";

    public static final List<String> ALL = List.of(VIEWER, OPERATOR, APPROVER, ALERTER, ADMIN);

    /** Prefix that turns a role into a Spring Security authority. */
    public static final String AUTHORITY_PREFIX = "ROLE_";

    private Roles() {}

    static RoleHierarchy hierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(OPERATOR)
                .implies(VIEWER)
                .role(APPROVER)
                .implies(VIEWER)
                .role(ADMIN)
                .implies(VIEWER)
                .build();
    }
}
