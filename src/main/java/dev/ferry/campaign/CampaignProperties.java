package dev.ferry.campaign;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Campaigns ({@code ferry.campaigns.*}).
 *
 * @param poll how often the driver looks at running campaigns without a wake-up (a job of a
 *     campaign finishing wakes every replica at once through NOTIFY; the poll covers soaks and lost
 *     notifications)
 */
@ConfigurationProperties("ferry.campaigns")
public record CampaignProperties(@DefaultValue("PT5S") Duration poll) {}
