package kz.qatysu.tool.attendance.evidence;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How videoconference presence is turned into a proposed mark.
 *
 * @param minimumShare share of the scheduled minutes a person must be present to not be proposed ABSENT;
 *                     in (0, 1]; presence exactly at the share is enough
 * @param grace        a first join later than {@code start + grace} is proposed LATE; ≥ 0; joining exactly at
 *                     {@code start + grace} is on time
 */
public record EvidencePolicy(BigDecimal minimumShare, Duration grace) {

    private static final EvidencePolicy DEFAULTS = new EvidencePolicy(new BigDecimal("0.50"), Duration.ofMinutes(5));

    /** Validates every field and reports all problems at once, each naming its field. */
    public EvidencePolicy {
        List<String> problems = new ArrayList<>();
        if (minimumShare == null) {
            problems.add("minimumShare is required");
        } else if (minimumShare.signum() <= 0 || minimumShare.compareTo(BigDecimal.ONE) > 0) {
            problems.add("minimumShare must be in (0, 1], was " + minimumShare.toPlainString());
        }
        if (grace == null) {
            problems.add("grace is required");
        } else if (grace.isNegative()) {
            problems.add("grace must be ≥ 0, was " + grace);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid evidence policy: " + String.join("; ", problems));
        }
    }

    /** 50 % of the scheduled minutes, 5 minutes of grace. */
    public static EvidencePolicy defaults() {
        return DEFAULTS;
    }

    public EvidencePolicy withMinimumShare(BigDecimal share) {
        return new EvidencePolicy(share, grace);
    }

    public EvidencePolicy withGrace(Duration value) {
        return new EvidencePolicy(minimumShare, value);
    }
}
