package kz.qatysu.tool.proctoring.attempts;

import java.time.Instant;

/** A proctor's decision on an attempt, with who decided and why. Events are evidence; this is the verdict. */
public record Verdict(Outcome verdict, String comment, String decidedBy, Instant decidedAt) {
    public enum Outcome { CLEAN, SUSPICIOUS, VIOLATION }
}
