package kz.qatysu.tool.proctoring.results;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.tool.proctoring.attempts.Verdict;

/**
 * The proctor's verdict as the score of the gradebook's "Proctoring" item (maximum 1):
 * {@code proctoring.results.score.clean} (1), {@code .suspicious} (0.5), {@code .violation} (0), each between 0 and 1,
 * and a clean attempt never below a suspicious one, nor a suspicious one below a violation.
 */
public record ResultsSettings(double clean, double suspicious, double violation) {
    public static final String PREFIX = "proctoring.results.score.";

    public static ResultsSettings defaults() {
        return new ResultsSettings(1, 0.5, 0);
    }

    public double score(Verdict.Outcome outcome) {
        return switch (outcome) {
            case CLEAN -> clean;
            case SUSPICIOUS -> suspicious;
            case VIOLATION -> violation;
        };
    }

    public static ResultsSettings read(ConfigReader r) {
        double clean = r.decimal(PREFIX + "clean", 1, 0, 1);
        double suspicious = r.decimal(PREFIX + "suspicious", 0.5, 0, 1);
        double violation = r.decimal(PREFIX + "violation", 0, 0, 1);
        if (suspicious > clean) {
            r.problem(PREFIX + "suspicious", "(" + suspicious + ") must not exceed " + PREFIX + "clean (" + clean + ")");
        }
        if (violation > suspicious) {
            r.problem(PREFIX + "violation", "(" + violation + ") must not exceed " + PREFIX + "suspicious (" + suspicious + ")");
        }
        return new ResultsSettings(clean, suspicious, violation);
    }
}
