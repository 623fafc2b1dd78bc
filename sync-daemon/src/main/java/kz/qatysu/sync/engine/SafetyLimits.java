package kz.qatysu.sync.engine;

/**
 * When a plan is refused unless forced (the "safety valve"). Shares are of the records the ledger knows as active in
 * that target; new records do not count as changes, so a first import or a new term is never refused for its size.
 *
 * @param maxSuspendShare refuse when more than this share would be suspended (default 0.05)
 * @param maxChangeShare  refuse when more than this share would be updated or suspended (default 0.20)
 * @param minKnown        below this many known records the shares are not checked (a tiny target is all noise)
 * @param maxErrorShare   refuse when more than this share of source records were rejected (the export looks broken)
 */
public record SafetyLimits(double maxSuspendShare, double maxChangeShare, int minKnown, double maxErrorShare) {
    public static final SafetyLimits DEFAULT = new SafetyLimits(0.05, 0.20, 20, 0.10);
}
