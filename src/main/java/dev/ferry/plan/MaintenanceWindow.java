package dev.ferry.plan;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * When a phase may start: on {@code days} (all when empty), from {@code start} to {@code end} in
 * {@code zone}. An end before the start crosses midnight (Sunday 23:00 to Monday 01:00 belongs to
 * Sunday). Zone rules come from the JDK, so daylight-saving changes are handled there.
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

    public MaintenanceWindow {
        days = days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
    }

    public boolean isOpen(Instant at) {
        return nextOpening(at).equals(at);
    }

    /** {@code at} if the window is open then, else when it next opens. */
    public Instant nextOpening(Instant at) {
        LocalDate day = at.atZone(zone).toLocalDate().minusDays(1);
        for (int i = 0; i < 9; i++, day = day.plusDays(1)) {
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime opens = day.atTime(start).atZone(zone);
            ZonedDateTime closes =
                    (end.isAfter(start) ? day : day.plusDays(1)).atTime(end).atZone(zone);
            if (!at.isBefore(opens.toInstant()) && at.isBefore(closes.toInstant())) {
                return at;
            }
            if (opens.toInstant().isAfter(at)) {
                return opens.toInstant();
            }
        }
        throw new IllegalStateException("window " + this + " never opens");
    }

    /** When the window that is open at {@code at} closes. */
    public Instant closing(Instant at) {
        LocalDate day = at.atZone(zone).toLocalDate();
        for (LocalDate d : new LocalDate[] {day.minusDays(1), day}) {
            ZonedDateTime opens = d.atTime(start).atZone(zone);
            ZonedDateTime closes =
                    (end.isAfter(start) ? d : d.plusDays(1)).atTime(end).atZone(zone);
            if (days.contains(d.getDayOfWeek()) && !at.isBefore(opens.toInstant()) && at.isBefore(closes.toInstant())) {
                return closes.toInstant();
            }
        }
        return at;
    }
}
