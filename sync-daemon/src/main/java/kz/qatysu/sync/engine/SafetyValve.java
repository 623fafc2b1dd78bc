package kz.qatysu.sync.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Decides whether a plan is plausible enough to apply unattended. Pure. */
public final class SafetyValve {
    private SafetyValve() {
    }

    /** Reasons to refuse {@code plan}; empty when it may be applied. */
    public static List<String> check(Plan plan, SafetyLimits limits) {
        List<String> reasons = new ArrayList<>();
        if (plan.known() < limits.minKnown()) {
            return reasons;
        }
        int suspends = plan.count(Action.SUSPEND);
        int changes = suspends + plan.count(Action.UPDATE);
        double suspendShare = (double) suspends / plan.known();
        double changeShare = (double) changes / plan.known();
        if (suspendShare > limits.maxSuspendShare()) {
            reasons.add(String.format(Locale.ROOT, "%s: would suspend %d of %d records (%.1f %%, limit %.1f %%)",
                    plan.target(), suspends, plan.known(), suspendShare * 100, limits.maxSuspendShare() * 100));
        }
        if (plan.knownItems() > 0) {
            // records that are whole lists (a section's roster, its timetable): judge the entries inside them, not
            // the records — in add/drop week most rosters change a little, and that is no reason to stop
            double removedShare = (double) plan.removedItems() / plan.knownItems();
            if (removedShare > limits.maxSuspendShare()) {
                reasons.add(String.format(Locale.ROOT, "%s: would remove %d of %d entries from its lists (%.1f %%, limit %.1f %%)",
                        plan.target(), plan.removedItems(), plan.knownItems(), removedShare * 100, limits.maxSuspendShare() * 100));
            }
            return reasons;
        }
        if (changeShare > limits.maxChangeShare()) {
            reasons.add(String.format(Locale.ROOT, "%s: would change %d of %d records (%.1f %%, limit %.1f %%)",
                    plan.target(), changes, plan.known(), changeShare * 100, limits.maxChangeShare() * 100));
        }
        return reasons;
    }

    /**
     * A reason to refuse a reconciliation that found more than {@code maxChangeShare} of the records the ledger knows
     * drifted in the target (another site behind the URL, a restored backup, a mass cleanup), or null.
     */
    public static String checkDrift(String target, int known, int drifted, SafetyLimits limits) {
        if (known < limits.minKnown() || known == 0) {
            return null;
        }
        double share = (double) drifted / known;
        if (share > limits.maxChangeShare()) {
            return String.format(Locale.ROOT, "%s: %d of %d records drifted in the target (%.1f %%, limit %.1f %%) — is it the right"
                    + " site, or was it restored from a backup?", target, drifted, known, share * 100, limits.maxChangeShare() * 100);
        }
        return null;
    }

    /** A reason to refuse when too many source records were rejected, or null. */
    public static String checkErrors(String source, int rows, int errors, SafetyLimits limits) {
        if (rows < limits.minKnown() || errors == 0) {
            return null;
        }
        double share = (double) errors / rows;
        if (share > limits.maxErrorShare()) {
            return String.format(Locale.ROOT, "%s: %d of %d source records were rejected (%.1f %%, limit %.1f %%) — the export looks broken",
                    source, errors, rows, share * 100, limits.maxErrorShare() * 100);
        }
        return null;
    }
}
