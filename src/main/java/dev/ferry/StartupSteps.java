package dev.ferry;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;

/**
 * Where start-up goes, from Spring's own start-up steps: {@code -Dferry.startup.steps=true} prints,
 * once the service is ready, the time per kind of step and the slowest beans to create (a bean's
 * time includes the beans it needed first). For measuring, not for production.
 */
final class StartupSteps {

    private StartupSteps() {}

    static BufferingApplicationStartup recorder() {
        return new BufferingApplicationStartup(20_000);
    }

    static void print(StartupTimeline timeline) {
        Map<String, Duration> byName = new TreeMap<>();
        List<StartupTimeline.TimelineEvent> events = timeline.getEvents();
        for (StartupTimeline.TimelineEvent event : events) {
            byName.merge(event.getStartupStep().getName(), event.getDuration(), Duration::plus);
        }
        StringBuilder out = new StringBuilder("Start-up steps (JVM start to context ready: ")
                .append(Duration.between(timeline.getStartTime(), Instant.now()).toMillis())
                .append(" ms; nested steps counted in their parents too)\n");
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .limit(15)
                .forEach(e ->
                        out.append(String.format("  %6d ms  %s%n", e.getValue().toMillis(), e.getKey())));
        out.append("Slowest beans:\n");
        events.stream()
                .filter(e -> e.getStartupStep().getName().equals("spring.beans.instantiate"))
                .sorted(Comparator.comparing(StartupTimeline.TimelineEvent::getDuration)
                        .reversed())
                .limit(30)
                .forEach(e -> out.append(
                        String.format("  %6d ms  %s%n", e.getDuration().toMillis(), beanName(e))));
        System.out.print(out);
    }

    private static String beanName(StartupTimeline.TimelineEvent event) {
        return StreamSupport.stream(event.getStartupStep().getTags().spliterator(), false)
                .filter(tag -> tag.getKey().equals("beanName"))
                .map(tag -> tag.getValue())
                .findFirst()
                .orElse("?");
    }
}
