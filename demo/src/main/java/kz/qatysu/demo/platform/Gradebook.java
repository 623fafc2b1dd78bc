package kz.qatysu.demo.platform;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The course gradebook as Moodle's gradebook services see it: grade items ("line items"), some tied to an
 * activity ({@code resourceLinkId}), and one grade per user and item. Scores are rescaled to the item's
 * maximum, and a score not newer than the stored one is refused, both as Moodle 4.5 does.
 */
final class Gradebook {
    /** A grade item. Moodle echoes start/end dates on create and update but does not keep them. */
    record LineItem(String id, String label, double scoreMaximum, String resourceId, String tag, String resourceLinkId,
                    boolean createdByTool) {
    }

    /** A user's grade on one item; {@code resultScore} is null when the score was not FullyGraded. */
    record Grade(String userId, Double resultScore, double resultMaximum, String comment, OffsetDateTime timestamp) {
    }

    /** What a score POST came to. */
    enum ScoreOutcome { STORED, UNKNOWN_ITEM, NOT_GRADABLE, NOT_NEWER }

    private final SampleCourse.Roster roster;
    private final Map<String, LineItem> items = new LinkedHashMap<>();
    private final Map<String, Map<String, Grade>> grades = new LinkedHashMap<>();
    private int nextId = 1;

    Gradebook(SampleCourse.Roster roster) {
        this.roster = roster;
    }

    synchronized LineItem create(String label, double scoreMaximum, String resourceId, String tag, String resourceLinkId,
                                 boolean createdByTool) {
        LineItem item = new LineItem(String.valueOf(nextId++), label, scoreMaximum, nullToEmpty(resourceId),
                nullToEmpty(tag), resourceLinkId, createdByTool);
        items.put(item.id(), item);
        grades.put(item.id(), new LinkedHashMap<>());
        return item;
    }

    synchronized Optional<LineItem> find(String id) {
        return Optional.ofNullable(items.get(id));
    }

    synchronized Optional<LineItem> update(String id, String label, double scoreMaximum, String resourceId, String tag,
                                           String resourceLinkId) {
        LineItem old = items.get(id);
        if (old == null) {
            return Optional.empty();
        }
        LineItem item = new LineItem(id, label, scoreMaximum, nullToEmpty(resourceId), nullToEmpty(tag), resourceLinkId,
                old.createdByTool());
        items.put(id, item);
        return Optional.of(item);
    }

    synchronized boolean delete(String id) {
        grades.remove(id);
        return items.remove(id) != null;
    }

    /** Items in creation order, filtered like {@code GET lineitems?resource_link_id=&resource_id=&tag=}. */
    synchronized List<LineItem> list(String resourceLinkId, String resourceId, String tag) {
        return items.values().stream()
                .filter(i -> resourceLinkId == null || resourceLinkId.equals(i.resourceLinkId()))
                .filter(i -> resourceId == null || resourceId.equals(i.resourceId()))
                .filter(i -> tag == null || tag.equals(i.tag()))
                .toList();
    }

    /** The single item tied to the link, or empty when there are none or several (Moodle then omits {@code lineitem}). */
    synchronized Optional<LineItem> onlyItemOf(String resourceLinkId) {
        List<LineItem> tied = list(resourceLinkId, null, null);
        return tied.size() == 1 ? Optional.of(tied.getFirst()) : Optional.empty();
    }

    synchronized ScoreOutcome score(String itemId, String userId, Double scoreGiven, double scoreMaximum, boolean fullyGraded,
                                    String comment, OffsetDateTime timestamp) {
        LineItem item = items.get(itemId);
        if (item == null) {
            return ScoreOutcome.UNKNOWN_ITEM;
        }
        if (roster.byUserId(userId).filter(SampleCourse.Member::gradable).isEmpty()) {
            return ScoreOutcome.NOT_GRADABLE;
        }
        Map<String, Grade> byUser = grades.get(itemId);
        Grade previous = byUser.get(userId);
        if (previous != null && !timestamp.isAfter(previous.timestamp())) {
            return ScoreOutcome.NOT_NEWER;
        }
        Double result = fullyGraded && scoreGiven != null ? scoreGiven * item.scoreMaximum() / scoreMaximum : null;
        byUser.put(userId, new Grade(userId, result, item.scoreMaximum(), comment, timestamp));
        return ScoreOutcome.STORED;
    }

    synchronized List<Grade> results(String itemId, String userId) {
        Map<String, Grade> byUser = grades.getOrDefault(itemId, Map.of());
        return new ArrayList<>(byUser.values()).stream()
                .filter(g -> userId == null || g.userId().equals(userId))
                .toList();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
