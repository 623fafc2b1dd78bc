package kz.qatysu.tool.locks;

import kz.qatysu.tool.lti.advantage.AdvantageException;
import kz.qatysu.tool.lti.advantage.Member;
import kz.qatysu.tool.lti.advantage.NamesRoles;
import kz.qatysu.tool.lti.advantage.NrpsEndpoint;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.locks.CourseLinks.CourseLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every publisher of scores to a course link shares ({@link LockPublisher}, the proctoring scores): the platform
 * user id of each person (known from launches, else looked up once in the course roster) and the retry backoff.
 */
public final class CourseSubjects {
    private static final Logger log = LoggerFactory.getLogger(CourseSubjects.class);
    public static final Duration MAX_BACKOFF = Duration.ofHours(1);
    public static final Duration UNKNOWN_USER_BACKOFF = Duration.ofHours(6);

    private final CourseLinks links;
    private final NamesRoles nrps;

    public CourseSubjects(CourseLinks links, NamesRoles nrps) {
        this.links = links;
        this.nrps = nrps;
    }

    /** Platform user ids by person; unknown persons are looked up once in the course roster (NRPS). */
    public Map<String, String> of(Platform platform, CourseLink link, List<String> persons) {
        Map<String, String> known = new HashMap<>(links.subjects(platform.id(), persons));
        Set<String> missing = new HashSet<>(persons);
        missing.removeAll(known.keySet());
        if (missing.isEmpty() || link.nrpsClaim() == null) {
            return known;
        }
        NrpsEndpoint endpoint = NrpsEndpoint.fromClaim(link.nrpsClaim()).orElse(null);
        if (endpoint == null) {
            return known;
        }
        try {
            for (Member m : nrps.roster(platform, endpoint).members()) {
                for (String key : new String[]{m.lisPersonSourcedId(), m.extUserUsername()}) {
                    if (key != null && missing.contains(key)) {
                        links.learnSubject(platform.id(), m.userId(), key);
                        known.put(key, m.userId());
                    }
                }
            }
        } catch (AdvantageException e) {
            log.warn("roster of platform {} context {} unavailable: {}", platform.id(), link.contextId(), e.getMessage());
        }
        return known;
    }

    /** The wait before the next try after {@code attempts} failed ones: 1, 2, 4 … minutes, at most an hour. */
    public static Duration backoff(int attempts) {
        long minutes = 1L << Math.min(attempts, 6);
        Duration d = Duration.ofMinutes(minutes);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }
}
