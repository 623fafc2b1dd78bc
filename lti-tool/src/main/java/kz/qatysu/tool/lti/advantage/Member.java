package kz.qatysu.tool.lti.advantage;

import java.util.List;

/**
 * One course member as NRPS 2.0 reports it. {@code roles} are as the platform sent them: Moodle sends short
 * names ("Learner", "Instructor"), other platforms full URIs ({@code http://purl.imsglobal.org/vocab/lis/v2/membership#Learner});
 * use {@link #hasRole(String)} to compare either way. Fields the platform withheld (privacy settings) are null.
 */
public record Member(String userId, String status, List<String> roles, String name, String givenName,
                     String familyName, String email, String lisPersonSourcedId, String extUserUsername) {

    public static final String LEARNER = "Learner";
    public static final String INSTRUCTOR = "Instructor";

    public Member {
        roles = List.copyOf(roles);
    }

    /** NRPS: a member without a status is Active. */
    public boolean active() {
        return status == null || status.equalsIgnoreCase("Active");
    }

    /**
     * Whether one of the roles is {@code role}, given as a short name ("Learner") or a full URI; a short name
     * matches the URI's fragment and the other way round.
     */
    public boolean hasRole(String role) {
        String wanted = shortName(role);
        return roles.stream().anyMatch(r -> r.equals(role) || shortName(r).equals(wanted));
    }

    public boolean learner() {
        return hasRole(LEARNER);
    }

    public boolean instructor() {
        return hasRole(INSTRUCTOR);
    }

    static String shortName(String role) {
        int hash = role.lastIndexOf('#');
        return hash >= 0 ? role.substring(hash + 1) : role;
    }
}
