package dev.ferry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Ferry: infrastructure migrations on AWS as durable, auditable jobs. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FerryApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(FerryApplication.class);
        if (Boolean.getBoolean("ferry.startup.steps")) {
            BufferingApplicationStartup steps = StartupSteps.recorder();
            application.setApplicationStartup(steps);
            application.run(args);
            StartupSteps.print(steps.getBufferedTimeline());
        } else {
            application.run(args);
        }
    }
}
