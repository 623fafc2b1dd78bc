package kz.qatysu.tool.attendance.evidence;

import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.web.Messages;

import java.util.List;
import java.util.Map;

/** The typed page records of the evidence templates ({@code src/main/jte/attendance/evidence/}). */
public final class EvidenceViews {
    private EvidenceViews() {
    }

    /**
     * One student's line. {@code proposed} PRESENT/LATE/ABSENT; {@code current} the stored status or ""; {@code
     * agreement} UNMARKED/SAME/DIFFERENT; {@code shown} what {@link EvidenceService#take} compares; {@code how} the
     * weakest match (PERSON_ID, PLATFORM_USER, EMAIL, NAME) or "" when no interval; {@code checked} ticked by default.
     */
    public record Row(int index, String personId, String name, String proposed, Integer lateMinutes, String minutes,
                      String firstJoin, String how, String current, Integer currentLate, String agreement, String shown,
                      boolean checked, String explanation) {
        public boolean uncertain() {
            return "NAME".equals(how);
        }
    }

    /** A participant who is not a student of the section (reason: unknown, ambiguous, teacher, otherGroup). */
    public record StrangerRow(String key, String name, String minutes, String reason) {
    }

    /** One stored delivery. */
    public record ImportRow(String source, String received, String by, int rows, String note) {
    }

    /** The evidence page of one session. */
    public record EvidencePage(Messages t, ToolSession session, String base, String csrf, String sessionUrl, String heading,
                               String meetingPlatform, String meetingId, boolean bbbConfigured, boolean zoomConfigured,
                               String callbackUrl, String minimumShare, long graceMinutes, String version,
                               List<Row> rows, List<StrangerRow> strangers, List<ImportRow> imports,
                               List<String> errors, String notice) {
        public boolean hasEvidence() {
            return !imports.isEmpty();
        }

        public long toTake() {
            return rows.stream().filter(r -> !r.agreement().equals("SAME")).count();
        }
    }

    /** Beside each student on the marking grid: minutes present, first join and the proposal. */
    public record Cell(String minutes, String firstJoin, String proposed, Integer lateMinutes, boolean uncertain) {
    }

    /** What the marking grid shows of the evidence; {@code cells} empty when there is none. */
    public record Summary(String url, Map<String, Cell> cells, int strangers) {
        public boolean any() {
            return !cells.isEmpty();
        }

        public Cell of(String personId) {
            return cells.get(personId);
        }
    }

    /** The marking grid's evidence cells of {@code report}, times shown in {@code zone} (the institution's, {@code ui.timeZone}). */
    public static Summary summary(String evidenceUrl, EvidenceService.Report report, java.time.ZoneId zone) {
        java.time.format.DateTimeFormatter hm = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
        Map<String, Cell> cells = new java.util.LinkedHashMap<>();
        for (EvidenceService.StudentEvidence e : report.students()) {
            ProposedMark p = e.proposal();
            cells.put(e.personId(), new Cell(p.minutesPresent().stripTrailingZeros().toPlainString(),
                    p.firstJoin() == null ? "" : p.firstJoin().atZone(zone).format(hm), p.status().name(), p.lateMinutes(),
                    e.uncertain()));
        }
        return new Summary(evidenceUrl, cells, report.strangers().size());
    }
}
