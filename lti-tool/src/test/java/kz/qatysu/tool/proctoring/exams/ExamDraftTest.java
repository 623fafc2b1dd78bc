package kz.qatysu.tool.proctoring.exams;

import kz.qatysu.tool.api.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ExamDraftTest {
    static final Instant OPENS = Instant.parse("2026-12-20T04:00:00Z");

    static ExamDraft draft() {
        return new ExamDraft("Final exam", Exam.ExamKind.FINAL, OPENS, OPENS.plusSeconds(3 * 3600), true, Exam.Checks.ALL,
                null, true, null);
    }

    @Test
    void a_complete_draft_has_no_problems_and_takes_the_defaults() {
        ExamDraft d = draft();
        assertThat(d.validate().isEmpty()).isTrue();
        assertThat(d.snapshotInterval()).isEqualTo(10);
        assertThat(d.tries()).isEqualTo(3);
    }

    @Test
    void every_wrong_field_is_named_at_once() {
        ExamDraft d = new ExamDraft(" ", null, OPENS, OPENS, true, new Exam.Checks(false, true, false, false), 1, false, 11);
        assertThat(d.validate().list()).extracting(ApiException.Detail::path)
                .containsExactly("title", "kind", "closesAt", "snapshotIntervalSeconds", "identityTries", "checks.faceMatch");
    }

    @Test
    void a_window_longer_than_two_weeks_or_missing_times_are_refused() {
        ExamDraft longOne = new ExamDraft("x", Exam.ExamKind.MIDTERM, OPENS, OPENS.plusSeconds(15 * 86400), false, null, 600, false, 1);
        assertThat(longOne.validate().list()).extracting(ApiException.Detail::path).containsExactly("closesAt");
        ExamDraft noTimes = new ExamDraft("x", Exam.ExamKind.MIDTERM, null, null, false, null, 2, false, 10);
        assertThat(noTimes.validate().list()).extracting(ApiException.Detail::path).containsExactly("opensAt", "closesAt");
    }

    @Test
    void a_title_with_control_characters_or_over_200_characters_is_refused() {
        assertThat(new ExamDraft("a\u0000b", Exam.ExamKind.FINAL, OPENS, OPENS.plusSeconds(60), false, null, null, false, null)
                .validate().list()).extracting(ApiException.Detail::problem).containsExactly("must not contain control characters");
        assertThat(new ExamDraft("x".repeat(201), Exam.ExamKind.FINAL, OPENS, OPENS.plusSeconds(60), false, null, null, false, null)
                .validate().list()).extracting(ApiException.Detail::path).containsExactly("title");
    }

    @Test
    void an_unproctored_exam_requires_no_checks() {
        Exam e = new Exam("ex-1", "S1", "t", Exam.ExamKind.FINAL, OPENS, OPENS.plusSeconds(60), false, Exam.Checks.ALL, 10,
                false, 3, 1, "a", OPENS, "a", OPENS);
        assertThat(e.requiredChecks()).isEqualTo(Exam.Checks.NONE);
        assertThat(e.openAt(OPENS)).isTrue();
        assertThat(e.openAt(OPENS.plusSeconds(60))).isFalse();
        assertThat(e.openAt(OPENS.minusMillis(1))).isFalse();
    }
}
