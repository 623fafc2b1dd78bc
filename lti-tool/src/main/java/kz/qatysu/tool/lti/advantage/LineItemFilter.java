package kz.qatysu.tool.lti.advantage;

/** AGS line item container filters (AGS 2.0 §3.2.5); null means "not filtered". */
public record LineItemFilter(String resourceLinkId, String resourceId, String tag) {
    public static final LineItemFilter ALL = new LineItemFilter(null, null, null);

    public static LineItemFilter resourceLink(String resourceLinkId) {
        return new LineItemFilter(resourceLinkId, null, null);
    }

    public static LineItemFilter tag(String tag) {
        return new LineItemFilter(null, null, tag);
    }

    /** Whether an item satisfies the filter; used again client-side, since not every platform filters. */
    boolean matches(LineItem item) {
        return same(resourceLinkId, item.resourceLinkId()) && same(resourceId, item.resourceId()) && same(tag, item.tag());
    }

    private static boolean same(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }
}
