package kz.qatysu.tool.notify;

import kz.qatysu.tool.web.Messages;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** The warning's words: discipline, state, share, hours, the budget left and why — in kk, ru and en. */
class WarningTextTest {
    static final WarningText.Facts WARNING = new WarningText.Facts(WarningText.Kind.WARNING, "Физика", "Әлия Нұрланқызы",
            new BigDecimal("0.2143"), 3, 14, 1, "ABSENCES_ROSE", null);

    @Test
    void a_student_warning_in_english_names_the_numbers_the_budget_and_the_cause() {
        WarningText.Text t = WarningText.render(WARNING, false, Messages.EN);
        assertThat(t.subject()).isEqualTo("Attendance warning: Физика");
        assertThat(t.body()).contains("Your unexcused absences in Физика have reached 21.4 % (3 of 14 planned hours).",
                "Hours that can still be missed before the lock: 1.", "Why: new absences or late arrivals were recorded",
                "submit an explanation").doesNotContain("Әлия");
    }

    @Test
    void russian_and_kazakh_use_a_decimal_comma() {
        assertThat(WarningText.render(WARNING, false, Messages.RU).body()).contains("достигли 21,4 % (3 из 14 запланированных часов)");
        assertThat(WarningText.render(WARNING, false, Messages.KK).body()).contains("21,4 %-ға жетті (жоспарланған 14 сағаттың 3)");
    }

    @Test
    void a_teacher_message_names_the_student_and_leaves_out_the_student_advice() {
        WarningText.Text t = WarningText.render(WARNING, true, Messages.RU);
        assertThat(t.body()).startsWith("Студент Әлия Нұрланқызы, дисциплина Физика").doesNotContain("подайте объяснение");
    }

    @Test
    void a_lock_set_by_the_dean_office_says_so_with_its_reason_and_no_budget() {
        WarningText.Facts locked = new WarningText.Facts(WarningText.Kind.LOCKED, "Физика", "Әлия", new BigDecimal("0.1"),
                1, 10, 0, "OVERRIDE_SET", "academic leave not formalised");
        WarningText.Text t = WarningText.render(locked, false, Messages.EN);
        assertThat(t.subject()).isEqualTo("Attendance lock: Физика");
        assertThat(t.body()).contains("locked", "Why: a decision of the dean’s office: academic leave not formalised")
                .doesNotContain("Hours that can still be missed");
    }

    @Test
    void whole_percentages_have_no_decimals() {
        assertThat(WarningText.percent(new BigDecimal("0.3000"), "en")).isEqualTo("30");
        assertThat(WarningText.percent(new BigDecimal("0.3333"), "kk")).isEqualTo("33,3");
    }
}
