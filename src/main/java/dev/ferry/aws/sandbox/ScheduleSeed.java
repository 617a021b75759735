package dev.ferry.aws.sandbox;

import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;

/**
 * The ETL schedules a FREEZE phase disables: the guide's five EventBridge rules, with their UTC
 * crons in EventBridge's six-field syntax, and the cache refresh left DISABLED as it is in AWS.
 */
final class ScheduleSeed {

    record Rule(String name, String schedule, RuleState state, String description) {}

    static final List<Rule> RULES = List.of(
            new Rule(
                    "fluxion-inventario-sync-30min",
                    "cron(0,30 10-23,0-2 * * ? *)",
                    RuleState.ENABLED,
                    "Sync inventario todas las tiendas, cada 30 min 6am-10pm VET"),
            new Rule(
                    "fluxion-ventas-sync-30min",
                    "cron(0 10-23,0-2 * * ? *)",
                    RuleState.ENABLED,
                    "Sync ventas PostgreSQL, cada hora 6am-10pm VET"),
            new Rule(
                    "fluxion-ventas-recovery-daily",
                    "cron(0 7 * * ? *)",
                    RuleState.ENABLED,
                    "Recovery ventas dia anterior, 3am VET"),
            new Rule(
                    "fluxion-abc-recalc-daily",
                    "cron(0 8 * * ? *)",
                    RuleState.ENABLED,
                    "Recalcular clasificacion ABC, 4am VET"),
            new Rule(
                    "fluxion-productos-cache-refresh",
                    "cron(30 9,15,21,3 * * ? *)",
                    RuleState.DISABLED,
                    "Refresh cache productos cada 6 horas (disabled by hand; CDK drift)"));

    private final EventBridgeClient events;

    ScheduleSeed(EventBridgeClient events) {
        this.events = events;
    }

    List<String> seed() {
        for (Rule rule : RULES) {
            try {
                events.describeRule(r -> r.name(rule.name()));
            } catch (ResourceNotFoundException missing) {
                // PutRule would also "work" on an existing rule, and re-enable one a job disabled.
                events.putRule(r -> r.name(rule.name())
                        .scheduleExpression(rule.schedule())
                        .state(rule.state())
                        .description(rule.description())
                        .tags(t -> t.key("Project").value("fluxion")));
            }
        }
        return RULES.stream().map(Rule::name).toList();
    }
}
