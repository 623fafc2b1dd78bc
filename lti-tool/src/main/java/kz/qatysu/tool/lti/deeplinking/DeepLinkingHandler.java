package kz.qatysu.tool.lti.deeplinking;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.lti.keys.ToolKeys;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.exams.ExamRepository;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Deep Linking (LTI Deep Linking 2.0): a teacher's {@code LtiDeepLinkingRequest} lands on a page offering the
 * tool's resources; the choice goes back to the platform as a signed response, auto-POSTed as form field
 * {@code JWT} to {@code deep_link_return_url}. The offer honours the request's {@code accept_types} and
 * {@code accept_multiple}; Moodle then pre-fills its "add activity" form (nothing exists until the teacher saves).
 */
public final class DeepLinkingHandler {
    private static final Logger log = LoggerFactory.getLogger(DeepLinkingHandler.class);

    private final Sessions sessions;
    private final PlatformService platforms;
    private final ToolKeys keys;
    private final Pages pages;
    private final Clock clock;
    private final URI launchUrl;
    private final ExamRepository exams;

    public DeepLinkingHandler(Sessions sessions, PlatformService platforms, ToolKeys keys, Pages pages, Clock clock, URI launchUrl,
                              ExamRepository exams) {
        this.sessions = sessions;
        this.platforms = platforms;
        this.keys = keys;
        this.pages = pages;
        this.clock = clock;
        this.launchUrl = launchUrl;
        this.exams = exams;
    }

    public void show(Context ctx) {
        ToolSession s = requireRequest(ctx);
        Map<String, Object> settings = s.service(LtiClaims.DL_SETTINGS).orElseThrow();
        boolean acceptsLinks = acceptTypes(settings).contains("ltiResourceLink");
        boolean multiple = !Boolean.FALSE.equals(bool(settings.get("accept_multiple")));
        pages.html(ctx, "lti/deeplinking/choose.jte", new ChoosePage(s.messages(), s, s.pagesBase() + "/deep-linking",
                sessions.csrfToken(ctx), Arrays.stream(ToolResource.values())
                        .filter(r -> !r.key().equals(ProctoredExamLink.RESOURCE)).toList(), acceptsLinks, multiple,
                exams.ofSection(CourseScope.sectionId(s)), s.pagesBase() + "/exams"));
    }

    public void respond(Context ctx) {
        ToolSession s = requireRequest(ctx);
        sessions.checkCsrf(ctx);
        Map<String, Object> settings = s.service(LtiClaims.DL_SETTINGS).orElseThrow();
        Messages t = s.messages();
        List<Map<String, Object>> items = new ArrayList<>();
        if (acceptTypes(settings).contains("ltiResourceLink")) {
            for (String key : ctx.formParams("resource")) {
                if (key.startsWith(ProctoredExamLink.CHOICE_PREFIX)) {
                    // a proctored exam of this course's section (another section's exam is not offered, nor accepted)
                    String examId = key.substring(ProctoredExamLink.CHOICE_PREFIX.length());
                    exams.find(examId).filter(e -> e.sectionId().equals(CourseScope.sectionId(s)))
                            .ifPresent(e -> items.add(ProctoredExamLink.item(e, t, launchUrl.toString())));
                    continue;
                }
                ToolResource.fromKey(key).filter(r -> !r.key().equals(ProctoredExamLink.RESOURCE))
                        .ifPresent(r -> items.add(DeepLinkingResponse.resourceLink(
                        r, t.t(r.titleKey()), t.t(r.descriptionKey()), launchUrl.toString())));
            }
        }
        if (items.size() > 1 && Boolean.FALSE.equals(bool(settings.get("accept_multiple")))) {
            items.subList(1, items.size()).clear();
        }
        Platform platform = platforms.byId(s.platformId()).orElseThrow(() -> new ForbiddenResponse("platform no longer registered"));
        String jwt = DeepLinkingResponse.sign(keys.signingKey(), platform.clientId(), platform.issuer(), s.deploymentId(),
                items, settings.get("data"), items.isEmpty() ? t.t("deepLinking.nothingChosen") : null, clock.instant());
        String returnUrl = (String) settings.get("deep_link_return_url");
        log.info("deep linking response: platform={} deployment={} items={}", platform.id(), s.deploymentId(), items.size());
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, "lti/deeplinking/autopost.jte", new AutoPostPage(t, returnUrl, jwt));
    }

    private ToolSession requireRequest(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        if (!LtiClaims.DEEP_LINKING_REQUEST.equals(s.messageType()) || s.service(LtiClaims.DL_SETTINGS).isEmpty()) {
            throw new ForbiddenResponse("This page answers a deep linking request only.");
        }
        if (!s.role().teaches()) {
            throw new ForbiddenResponse("Only a teacher can add Qatysu to a course.");
        }
        return s;
    }

    private static List<String> acceptTypes(Map<String, Object> settings) {
        return settings.get("accept_types") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /** Moodle 3.x sent the DL booleans as strings "true"/"false". */
    private static Boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        return v instanceof String s ? Boolean.valueOf(s) : null;
    }

    /** {@code exams}: the section's exams a teacher may place as "Proctored exam"; {@code examsUrl} where to create one. */
    public record ChoosePage(Messages t, ToolSession session, String action, String csrf, List<ToolResource> resources,
                             boolean acceptsLinks, boolean multiple, List<Exam> exams, String examsUrl) {
    }

    public record AutoPostPage(Messages t, String returnUrl, String jwt) {
    }
}
