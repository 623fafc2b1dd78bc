package kz.qatysu.connectors.portal;

import java.time.OffsetDateTime;

/**
 * One planned class session.
 *
 * @param id        the portal's session id — the tool's {@code sessionId}
 * @param hours     academic hours it counts for (a 50-minute period = 1)
 * @param online    held in a video conference
 * @param cameras   participants are expected to keep cameras on (counts against the lower video capacity)
 * @param group     the academic group it is for, or null for the whole section
 */
public record TimetableEntry(String id, String sectionCode, OffsetDateTime start, OffsetDateTime end, String kind, int hours,
                             String room, String onlineUrl, boolean online, boolean cameras, String group) {
}
