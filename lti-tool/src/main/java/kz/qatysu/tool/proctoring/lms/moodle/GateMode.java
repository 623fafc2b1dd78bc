package kz.qatysu.tool.proctoring.lms.moodle;

/** How an exam gates its Moodle quiz (docs/PROCTORING.md "Moodle: the quiz gate"), strongest first. */
public enum GateMode {
    /** A per-student password on the quiz (mod_quiz_save_overrides) after the checks; the quiz needs its own password. */
    QUIZ_OVERRIDE,
    /** Moodle's Restrict access → Grade on the AGS item "Proctoring check passed" (1 when the checks are cleared). */
    GRADE_RESTRICTION,
    /** The quiz's one password, shown to every student who cleared the checks: the weakest (it can be passed on). */
    SHARED_PASSWORD
}
