package kz.qatysu.tool.proctoring.exams;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The exam form of the course and dean's-office pages: what the fields hold (times as the browser's
 * {@code datetime-local}, {@code 2026-06-01T09:00}, in the institution's time zone) and how they become an
 * {@link ExamDraft}. A pure function of the fields and the zone.
 */
public record ExamForm(String title, String kind, String opensAt, String closesAt, boolean proctored, boolean idPhoto,
                       boolean faceMatch, boolean roomScan, boolean screenShare, String snapshotIntervalSeconds,
                       boolean campusAlternative, String identityTries, String version) {
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    /** The fields the form names (an error names one of these). */
    public static final List<String> FIELDS = List.of("title", "kind", "opensAt", "closesAt", "snapshotIntervalSeconds",
            "identityTries", "checks.faceMatch", "version");

    /** An empty form for a new exam: proctored with every check, the defaults. */
    public static ExamForm blank() {
        return new ExamForm("", "FINAL", "", "", true, true, true, true, true,
                String.valueOf(ExamDraft.DEFAULT_SNAPSHOT_INTERVAL), true, String.valueOf(ExamDraft.DEFAULT_IDENTITY_TRIES), "");
    }

    /** The stored exam in the form, its times in {@code zone}. */
    public static ExamForm of(Exam e, ZoneId zone) {
        return new ExamForm(e.title(), e.kind().name(), local(e.opensAt(), zone), local(e.closesAt(), zone), e.proctored(),
                e.checks().idPhoto(), e.checks().faceMatch(), e.checks().roomScan(), e.checks().screenShare(),
                String.valueOf(e.snapshotIntervalSeconds()), e.campusAlternative(), String.valueOf(e.identityTries()),
                String.valueOf(e.version()));
    }

    /** The submitted form ({@code field} reads a form parameter; a checkbox is on when present). */
    public static ExamForm read(Function<String, String> field) {
        Function<String, String> f = k -> field.apply(k) == null ? "" : field.apply(k).strip();
        Function<String, Boolean> on = k -> field.apply(k) != null && !field.apply(k).isEmpty();
        return new ExamForm(f.apply("title"), f.apply("kind"), f.apply("opensAt"), f.apply("closesAt"), on.apply("proctored"),
                on.apply("idPhoto"), on.apply("faceMatch"), on.apply("roomScan"), on.apply("screenShare"),
                f.apply("snapshotIntervalSeconds"), on.apply("campusAlternative"), f.apply("identityTries"), f.apply("version"));
    }

    /** What the form asks for; {@link Parsed#problems} names each wrong field (empty when the draft may be stored). */
    public record Parsed(ExamDraft draft, List<ApiException.Detail> problems) {
        public Set<String> fields() {
            Set<String> s = new LinkedHashSet<>();
            problems.forEach(p -> s.add(p.path()));
            return s;
        }
    }

    public Parsed parse(ZoneId zone) {
        InputProblems types = new InputProblems();
        Exam.ExamKind k = null;
        try {
            k = Exam.ExamKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            types.add("kind", "MIDTERM or FINAL expected");
        }
        Instant opens = instant(opensAt, "opensAt", zone, types);
        Instant closes = instant(closesAt, "closesAt", zone, types);
        Integer interval = number(snapshotIntervalSeconds, "snapshotIntervalSeconds", types);
        Integer tries = number(identityTries, "identityTries", types);
        ExamDraft draft = new ExamDraft(title, k, opens, closes, proctored,
                new Exam.Checks(idPhoto, faceMatch, roomScan, screenShare), interval, campusAlternative, tries);
        List<ApiException.Detail> all = new java.util.ArrayList<>(types.list());
        Set<String> named = new java.util.HashSet<>(all.stream().map(ApiException.Detail::path).toList());
        draft.validate().list().stream().filter(d -> !named.contains(d.path())).forEach(all::add);
        return new Parsed(draft, List.copyOf(all));
    }

    /** The version being edited, or -1 when the field is not a number. */
    public int versionNumber() {
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String local(Instant at, ZoneId zone) {
        return LOCAL.format(LocalDateTime.ofInstant(at, zone));
    }

    private static Instant instant(String text, String field, ZoneId zone, InputProblems p) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            // the browser sends seconds when the user typed them
            String t = text.length() > 16 ? text.substring(0, 16) : text;
            return LocalDateTime.parse(t, LOCAL).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            p.add(field, "a date and time like 2026-06-01T09:00 expected");
            return null;
        }
    }

    private static Integer number(String text, String field, InputProblems p) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            p.add(field, "a whole number expected");
            return null;
        }
    }
}
