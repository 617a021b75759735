package dev.ferry.aws.events;

import dev.ferry.aws.AwsClients;
import dev.ferry.aws.AwsProperties;
import org.springframework.stereotype.Component;

/**
 * {@code aws.events.enableRule}: resumes a schedule after a migration, or one found disabled by drift;
 * compensation restores the rule's previous state.
 */
@Component
public class EnableRuleAction extends RuleStateAction {

    public static final String NAME = "aws.events.enableRule";

    public EnableRuleAction(AwsClients clients, AwsProperties properties) {
        super(NAME, clients, properties, true);
    }
}
