package kz.qatysu.demo.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.demo.platform.SampleCourse.Member;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names and Role Provisioning Services v2 ({@code …/services.php/CourseSection/{course}/bindings/{type}/memberships}),
 * shaped like Moodle 4.5's answer (captures {@code advantage_07..10}): short role names decided by
 * {@code moodle/course:manageactivities} (so the non-editing teacher is a Learner here), {@code role} filter, and
 * paging by {@code limit} / {@code from} with a {@code Link: <…>; rel="next"} header.
 */
final class MembershipsController {
    static final String MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
    private static final String ROLE_URI_PREFIX = "http://purl.imsglobal.org/vocab/lis/v2/membership#";

    private final ServiceGuard guard;
    private final SampleCourse.Roster roster;
    private final PlatformUrls urls;
    private final String deploymentId;
    private final ObjectMapper json = new ObjectMapper();

    MembershipsController(ServiceGuard guard, SampleCourse.Roster roster, PlatformUrls urls, String deploymentId) {
        this.guard = guard;
        this.roster = roster;
        this.urls = urls;
        this.deploymentId = deploymentId;
    }

    void memberships(Context ctx) throws Exception {
        if (!guard.accepts(ctx, MEDIA_TYPE)) {
            return;
        }
        if (!guard.authorized(ctx, List.of(LaunchMessages.SCOPE_MEMBERSHIPS))) {
            return;
        }
        if (!SampleCourse.CONTEXT_ID.equals(ctx.pathParam("course")) || !deploymentId.equals(ctx.pathParam("binding"))) {
            guard.notFound(ctx);
            return;
        }
        int limit = ServiceGuard.paging(ctx, "limit");
        int from = ServiceGuard.paging(ctx, "from");
        String role = ctx.queryParam("role");
        String wantedRole = role == null ? null : role.startsWith(ROLE_URI_PREFIX) ? role.substring(ROLE_URI_PREFIX.length()) : role;

        List<Member> all = roster.members().stream()
                .filter(m -> wantedRole == null || wantedRole.equals(nrpsRole(m)))
                .toList();
        int end = limit > 0 ? Math.min(all.size(), from + limit) : all.size();
        List<Member> page = from >= all.size() ? List.of() : all.subList(from, end);

        if (limit > 0 && end < all.size()) {
            String next = urls.memberships() + "?limit=" + limit + "&from=" + end
                    + (role == null ? "" : "&role=" + PlatformUrls.enc(role));
            ctx.header("Link", "<" + next + ">; rel=\"next\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", urls.memberships());
        body.put("context", LaunchMessages.ordered("id", SampleCourse.CONTEXT_ID, "label", SampleCourse.LABEL, "title", SampleCourse.TITLE));
        body.put("members", page.stream().map(MembershipsController::member).toList());
        ctx.contentType(MEDIA_TYPE + "; charset=utf-8").result(json.writeValueAsString(body));
    }

    static String nrpsRole(Member m) {
        return m.kind() == SampleCourse.Kind.TEACHER ? "Instructor" : "Learner";
    }

    private static Map<String, Object> member(Member m) {
        return LaunchMessages.ordered(
                "status", "Active",
                "roles", List.of(nrpsRole(m)),
                "user_id", m.userId(),
                "lis_person_sourcedid", m.personId(),
                "name", m.name(),
                "given_name", m.givenName(),
                "family_name", m.familyName(),
                "email", m.email(),
                "ext_user_username", m.username());
    }
}
