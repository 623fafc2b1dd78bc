package kz.qatysu.tool.proctoring.exams;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExamFormTest {
    static final ZoneId ALMATY = ZoneId.of("Asia/Almaty");

    static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>(Map.of("title", " Final ", "kind", "FINAL", "opensAt", "2026-06-01T09:00",
                "closesAt", "2026-06-01T12:00", "proctored", "on", "idPhoto", "on", "faceMatch", "on",
                "snapshotIntervalSeconds", "15", "identityTries", "2", "version", "4"));
        return m;
    }

    @Test
    void times_are_read_in_the_institutions_zone_and_checkboxes_by_presence() {
        ExamForm form = ExamForm.read(valid()::get);
        ExamForm.Parsed p = form.parse(ALMATY);
        assertThat(p.problems()).isEmpty();
        assertThat(p.draft().opensAt()).isEqualTo(Instant.parse("2026-06-01T04:00:00Z"));
        assertThat(p.draft().closesAt()).isEqualTo(Instant.parse("2026-06-01T07:00:00Z"));
        assertThat(p.draft().checks()).isEqualTo(new Exam.Checks(true, true, false, false));
        assertThat(p.draft().snapshotInterval()).isEqualTo(15);
        assertThat(p.draft().campusAlternative()).isFalse();
        assertThat(form.versionNumber()).isEqualTo(4);
        // seconds typed into the field are accepted
        Map<String, String> seconds = valid();
        seconds.put("opensAt", "2026-06-01T09:00:30");
        assertThat(ExamForm.read(seconds::get).parse(ALMATY).problems()).isEmpty();
    }

    @Test
    void a_stored_exam_shows_its_times_in_the_zone_and_reads_back_the_same() {
        Exam e = new Exam("exam-1", "S", "Final", Exam.ExamKind.FINAL, Instant.parse("2026-06-01T04:00:00Z"),
                Instant.parse("2026-06-01T07:00:00Z"), true, Exam.Checks.ALL, 10, true, 3, 7, "T", Instant.EPOCH, "T", Instant.EPOCH);
        ExamForm f = ExamForm.of(e, ALMATY);
        assertThat(f.opensAt()).isEqualTo("2026-06-01T09:00");
        assertThat(f.version()).isEqualTo("7");
        assertThat(f.parse(ALMATY).draft().opensAt()).isEqualTo(e.opensAt());
    }

    @Test
    void every_wrong_field_is_named_once() {
        Map<String, String> m = valid();
        m.put("kind", "ORAL");
        m.put("opensAt", "tomorrow");
        m.put("closesAt", "");
        m.put("snapshotIntervalSeconds", "ten");
        m.put("identityTries", "11");
        m.remove("idPhoto");
        m.put("title", "");
        ExamForm.Parsed p = ExamForm.read(m::get).parse(ALMATY);
        assertThat(p.fields()).containsExactlyInAnyOrder("title", "kind", "opensAt", "closesAt", "snapshotIntervalSeconds",
                "identityTries", "checks.faceMatch");
        assertThat(p.problems()).hasSize(7);
        assertThat(ExamForm.FIELDS).containsAll(p.fields());
    }
}
