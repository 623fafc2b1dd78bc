package kz.qatysu.tool.attendance.evidence;

import kz.qatysu.tool.attendance.rules.AttendanceStatus;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Online attendance evidence (regulation 000 §4.8): turns videoconference presence intervals into proposed marks.
 * Pure and deterministic — no clock, no I/O.
 *
 * <ol>
 *   <li>clip every interval to the class window [start, end]; what lies outside does not count;</li>
 *   <li>merge overlapping and touching intervals of one person (reconnects, two devices count once);</li>
 *   <li>seconds present = Σ merged lengths; ABSENT when below {@code minimumShare} of the scheduled seconds
 *       (exactly at the share is enough);</li>
 *   <li>otherwise LATE when the first moment present is after {@code start + grace}, with the minutes from the
 *       scheduled start (a started minute counts whole, so a 20 min 1 s lateness is 21 and the absence rule for
 *       lates over 20 minutes applies); otherwise PRESENT;</li>
 *   <li>roster people without any presence in the window are ABSENT.</li>
 * </ol>
 */
public final class PresenceEvidence {

    private PresenceEvidence() {
    }

    /** Proposals for everyone who appears in {@code intervals} (no roster: nobody is proposed absent for lack of data). */
    public static List<ProposedMark> propose(Instant sessionStart, Instant sessionEnd, List<Interval> intervals,
                                             EvidencePolicy policy) {
        Objects.requireNonNull(intervals, "intervals");
        Set<String> people = new TreeSet<>();
        intervals.forEach(i -> people.add(Objects.requireNonNull(i, "interval").personId()));
        return propose(sessionStart, sessionEnd, people, intervals, policy).marks();
    }

    /**
     * Proposals for every person of {@code roster} (in its order); evidence of people not on the roster is
     * reported in {@link Proposal#notOnRoster()}.
     *
     * @throws IllegalArgumentException when the window is empty or reversed, or an interval has no person, a
     *                                  missing time, or leaves before it joins (the message names the person)
     */
    public static Proposal propose(Instant sessionStart, Instant sessionEnd, Collection<String> roster,
                                   List<Interval> intervals, EvidencePolicy policy) {
        Objects.requireNonNull(sessionStart, "sessionStart");
        Objects.requireNonNull(sessionEnd, "sessionEnd");
        Objects.requireNonNull(roster, "roster");
        Objects.requireNonNull(intervals, "intervals");
        Objects.requireNonNull(policy, "policy");
        if (!sessionEnd.isAfter(sessionStart)) {
            throw new IllegalArgumentException("the class window must end after it starts: start " + sessionStart
                    + ", end " + sessionEnd);
        }
        Map<String, List<Interval>> byPerson = new HashMap<>();
        for (Interval i : intervals) {
            validate(i);
            byPerson.computeIfAbsent(i.personId(), k -> new ArrayList<>()).add(i);
        }
        long scheduled = Duration.between(sessionStart, sessionEnd).toSeconds();
        List<ProposedMark> marks = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String person : roster) {
            if (person == null || person.isBlank() || !seen.add(person)) {
                throw new IllegalArgumentException("roster person ids must be present and unique, got '" + person + "'");
            }
            List<long[]> merged = merge(byPerson.getOrDefault(person, List.of()), sessionStart, sessionEnd);
            marks.add(decide(person, merged, sessionStart, scheduled, policy));
        }
        TreeSet<String> notOnRoster = new TreeSet<>(byPerson.keySet());
        notOnRoster.removeAll(seen);
        return new Proposal(marks, new ArrayList<>(notOnRoster));
    }

    private static void validate(Interval i) {
        Objects.requireNonNull(i, "interval");
        if (i.personId() == null || i.personId().isBlank()) {
            throw new IllegalArgumentException("an interval has no person id (join " + i.join() + ", leave " + i.leave() + ")");
        }
        if (i.join() == null || i.leave() == null) {
            throw new IllegalArgumentException("interval of person '" + i.personId() + "' has no "
                    + (i.join() == null ? "join" : "leave") + " time (join " + i.join() + ", leave " + i.leave() + ")");
        }
        if (i.leave().isBefore(i.join())) {
            throw new IllegalArgumentException("interval of person '" + i.personId() + "' leaves before it joins: join "
                    + i.join() + ", leave " + i.leave());
        }
    }

    /** Clipped, non-empty, merged intervals as [from, to) epoch-second pairs, sorted. */
    private static List<long[]> merge(List<Interval> intervals, Instant start, Instant end) {
        List<long[]> clipped = new ArrayList<>();
        for (Interval i : intervals) {
            long from = Math.max(seconds(i.join()), seconds(start));
            long to = Math.min(seconds(i.leave()), seconds(end));
            if (to > from) { // zero-length and outside-the-window intervals carry no presence
                clipped.add(new long[]{from, to});
            }
        }
        clipped.sort(Comparator.comparingLong(a -> a[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] c : clipped) {
            long[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && c[0] <= last[1]) {
                last[1] = Math.max(last[1], c[1]);
            } else {
                merged.add(c.clone());
            }
        }
        return merged;
    }

    private static ProposedMark decide(String person, List<long[]> merged, Instant start, long scheduled, EvidencePolicy policy) {
        if (merged.isEmpty()) {
            return new ProposedMark(person, AttendanceStatus.ABSENT, null, BigDecimal.ZERO.setScale(2), null,
                    "not present in the video session during the class");
        }
        long present = merged.stream().mapToLong(m -> m[1] - m[0]).sum();
        BigDecimal minutes = minutes(present);
        Instant firstJoin = Instant.ofEpochSecond(merged.getFirst()[0]);
        BigDecimal required = policy.minimumShare().multiply(BigDecimal.valueOf(scheduled));
        String presence = "present " + minutes.toPlainString() + " of " + minutes(scheduled).stripTrailingZeros().toPlainString()
                + " scheduled minutes";
        if (BigDecimal.valueOf(present).compareTo(required) < 0) {
            return new ProposedMark(person, AttendanceStatus.ABSENT, null, minutes, firstJoin, presence + ", less than the required "
                    + percent(policy.minimumShare()) + " %");
        }
        long lateSeconds = seconds(firstJoin) - seconds(start);
        if (lateSeconds > policy.grace().toSeconds()) {
            int lateMinutes = Math.toIntExact((lateSeconds + 59) / 60);
            return new ProposedMark(person, AttendanceStatus.LATE, lateMinutes, minutes, firstJoin, presence
                    + "; first joined " + lateMinutes + " min after the start (grace " + policy.grace().toMinutes() + " min)");
        }
        return new ProposedMark(person, AttendanceStatus.PRESENT, null, minutes, firstJoin, presence
                + "; joined within the " + policy.grace().toMinutes() + " min grace");
    }

    private static long seconds(Instant t) {
        return t.getEpochSecond(); // sub-second precision is noise for attendance; truncate consistently
    }

    private static BigDecimal minutes(long seconds) {
        return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 2, RoundingMode.DOWN);
    }

    private static String percent(BigDecimal share) {
        return share.movePointRight(2).stripTrailingZeros().toPlainString();
    }
}
