package dev.ferry.aws.events;

import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import org.springframework.stereotype.Component;

/**
 * {@code aws.events.disableRule}: pauses a schedule (the seeds' ETL syncs) during a freeze;
 * compensation restores the rule's previous state.
 */
@Component
public class DisableRuleAction extends RuleStateAction {

    public static final String NAME = "aws.events.disableRule";

    public DisableRuleAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties, false);
    }
}
