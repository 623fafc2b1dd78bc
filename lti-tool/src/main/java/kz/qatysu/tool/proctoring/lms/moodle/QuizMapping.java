package kz.qatysu.tool.proctoring.lms.moodle;

import java.time.Instant;
import java.util.Optional;

/**
 * Which Moodle quiz an exam gates, and how ({@code proctoring_moodle_quiz}).
 *
 * @param quizId         the quiz instance id (not the course-module id)
 * @param sharedPassword the quiz's password, SHARED_PASSWORD only (stored sealed)
 */
public record QuizMapping(String examId, long platformId, long courseId, long quizId, String quizName, GateMode mode,
                          Optional<String> sharedPassword, String updatedBy, Instant updatedAt) {
    @Override
    public String toString() {
        return "QuizMapping[exam=" + examId + ", platform=" + platformId + ", course=" + courseId + ", quiz=" + quizId
                + ", mode=" + mode + ", sharedPassword=" + sharedPassword.map(p -> "<masked>").orElse("<none>") + "]";
    }
}
