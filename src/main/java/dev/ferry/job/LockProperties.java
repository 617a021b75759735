package dev.ferry.job;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Resource locks ({@code ferry.locks.*}).
 *
 * @param onConflict WAIT: a job that reaches FREEZE while another holds one of its resources waits
 *     (WAITING, naming the holder); REFUSE: a job whose resources are held cannot start (409)
 * @param retry how often a waiting job looks again, besides being woken when locks are released
 */
@ConfigurationProperties("ferry.locks")
public record LockProperties(@DefaultValue("WAIT") OnConflict onConflict, @DefaultValue("PT30S") Duration retry) {

    public enum OnConflict {
        WAIT,
        REFUSE
    }
}
