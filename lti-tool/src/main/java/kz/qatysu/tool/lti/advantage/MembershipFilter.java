package kz.qatysu.tool.lti.advantage;

/**
 * NRPS query parameters: {@code role} (a role URI or short name, as the platform accepts it) and {@code limit}
 * (page size the platform should use; all pages are still read). Either may be null.
 */
public record MembershipFilter(String role, Integer limit) {
    public static final MembershipFilter ALL = new MembershipFilter(null, null);

    public MembershipFilter {
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }

    public static MembershipFilter role(String role) {
        return new MembershipFilter(role, null);
    }
}
