package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {

    // Sunday 03:00-04:00 in Caracas (UTC-4), as in ARCHITECTURE.md.
    private final MaintenanceWindow sundayNight = new MaintenanceWindow(
            Set.of(DayOfWeek.SUNDAY), LocalTime.of(3, 0), LocalTime.of(4, 0), ZoneId.of("America/Caracas"));

    @Test
    void opensOnlyInsideTheWindow() {
        Instant inside = Instant.parse("2026-11-22T07:30:00Z"); // Sunday 03:30 in Caracas
        assertThat(sundayNight.isOpen(inside)).isTrue();
        assertThat(sundayNight.closing(inside)).isEqualTo(Instant.parse("2026-11-22T08:00:00Z"));
        assertThat(sundayNight.isOpen(Instant.parse("2026-11-22T08:00:00Z"))).isFalse();
    }

    @Test
    void nextOpeningIsTheComingSunday() {
        Instant monday = Instant.parse("2026-11-23T12:00:00Z");
        assertThat(sundayNight.nextOpening(monday)).isEqualTo(Instant.parse("2026-11-29T07:00:00Z"));
    }

    @Test
    void aWindowEndingBeforeItStartsCrossesMidnight() {
        MaintenanceWindow overnight = new MaintenanceWindow(
                Set.of(DayOfWeek.SATURDAY), LocalTime.of(23, 0), LocalTime.of(1, 0), ZoneId.of("UTC"));
        assertThat(overnight.isOpen(Instant.parse("2026-11-29T00:30:00Z")))
                .as("Sunday 00:30 belongs to Saturday")
                .isTrue();
        assertThat(overnight.isOpen(Instant.parse("2026-11-29T01:30:00Z"))).isFalse();
        assertThat(overnight.nextOpening(Instant.parse("2026-11-23T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-28T23:00:00Z"));
    }

    @Test
    void noDaysMeansEveryDay() {
        MaintenanceWindow daily =
                new MaintenanceWindow(Set.of(), LocalTime.of(2, 0), LocalTime.of(3, 0), ZoneId.of("UTC"));
        assertThat(daily.nextOpening(Instant.parse("2026-11-23T05:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-24T02:00:00Z"));
    }
}
