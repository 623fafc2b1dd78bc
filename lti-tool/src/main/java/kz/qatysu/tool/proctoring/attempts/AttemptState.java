package kz.qatysu.tool.proctoring.attempts;

import java.util.Set;

/**
 * Where an examinee's attempt stands (the proctoring API's {@code state}). The path is CONSENT_PENDING → CHECKING
 * (system check, identity, room scan) → IN_PROGRESS (monitoring) → ENDED; a refused consent ends in REFUSED (a logged,
 * clear path to sitting on campus), a monitoring window that stopped answering and never came back ends in ABANDONED.
 */
public enum AttemptState {
    CONSENT_PENDING, CHECKING, IN_PROGRESS, ENDED, ABANDONED, REFUSED;

    /** Whether the attempt may move from this state to {@code next} (a pure rule, tested exhaustively). */
    public boolean mayBecome(AttemptState next) {
        return switch (this) {
            case CONSENT_PENDING -> next == CHECKING || next == REFUSED;
            // a student who refused may change their mind while the exam is open
            case REFUSED -> next == CHECKING;
            case CHECKING -> next == IN_PROGRESS || next == ABANDONED;
            case IN_PROGRESS -> next == ENDED || next == ABANDONED;
            // an abandoned monitoring window (closed, crashed) may be reopened while the exam is open
            case ABANDONED -> next == IN_PROGRESS;
            case ENDED -> false;
        };
    }

    /** States in which the examinee's browser still sends snapshots, chunks and events. */
    public static final Set<AttemptState> MONITORED = Set.of(IN_PROGRESS);

    public boolean finished() {
        return this == ENDED || this == REFUSED;
    }
}
