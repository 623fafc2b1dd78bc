package kz.qatysu.connectors.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Results for the portal as CSV files in an outbox folder ({@code grades-20261224T020000-1.csv}, {@code marks-…},
 * {@code standing-…}, {@code verdicts-…}), UTF-8 with a BOM (so spreadsheet programs show Kazakh letters), {@code ;}-separated. Each file
 * is written under a temporary name and renamed, so the portal's importer never reads half a file.
 */
public final class CsvOutboxSink implements PortalSink {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);

    private final Path folder;
    private final Clock clock;
    private final AtomicInteger seq = new AtomicInteger();

    public CsvOutboxSink(Path folder, Clock clock) {
        this.folder = folder;
        this.clock = clock;
    }

    @Override
    public String describe() {
        return "csv-outbox:" + folder;
    }

    @Override
    public void pushGrades(List<GradeRow> rows) {
        write("grades", "section;person;item;score;max;letter", rows,
                r -> line(r.sectionCode(), r.personId(), r.item(), r.score(), r.max(), r.letter()));
    }

    @Override
    public void pushMarks(List<MarkRow> rows) {
        write("marks", "section;session;person;status;late_minutes;reason", rows,
                r -> line(r.sectionCode(), r.sessionId(), r.personId(), r.status(), r.lateMinutes() == null ? "" : r.lateMinutes().toString(), r.reason()));
    }

    @Override
    public void pushStanding(List<StandingRow> rows) {
        write("standing", "section;person;state;absence_share;absent_hours;planned_hours;reason", rows,
                r -> line(r.sectionCode(), r.personId(), r.state(), r.absenceShare(), r.absentHours(), r.plannedHours(), r.reason()));
    }

    @Override
    public void pushVerdicts(List<VerdictRow> rows) {
        write("verdicts", "section;person;exam;exam_title;attempt;verdict;score;decided_at", rows,
                r -> line(r.sectionCode(), r.personId(), r.examId(), r.examTitle(), r.attemptId(), r.verdict(), r.score(), r.decidedAt()));
    }

    private <T> void write(String kind, String header, List<T> rows, Function<T, String> line) {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("\uFEFF").append(header).append("\r\n");
        rows.forEach(r -> sb.append(line.apply(r)).append("\r\n"));
        String name = kind + "-" + STAMP.format(clock.instant().atZone(clock.getZone())) + "-" + seq.incrementAndGet() + ".csv";
        try {
            Files.createDirectories(folder);
            Path tmp = folder.resolve("." + name + ".part");
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " to the portal outbox " + folder, e);
        }
    }

    private static String line(String... cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(';');
            }
            String c = cells[i] == null ? "" : cells[i];
            if (c.contains(";") || c.contains("\"") || c.contains("\n")) {
                c = "\"" + c.replace("\"", "\"\"") + "\"";
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
