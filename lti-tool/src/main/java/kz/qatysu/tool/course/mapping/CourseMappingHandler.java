package kz.qatysu.tool.course.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.attendance.input.JsonBody;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mapping courses that launched without a portal section code: the dean's-office page {@code /admin/courses}
 * (admin sign-in, CSRF) and the administrator API {@code /api/v1/admin/course-mappings} (admin scope).
 */
public final class CourseMappingHandler {
    private final CourseMappingService service;
    private final CourseMappingRepository repository;
    private final AdminGate gate;
    private final AdminAudit audit;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Pages pages;

    public CourseMappingHandler(CourseMappingService service, CourseMappingRepository repository, AdminGate gate,
                                AdminAudit audit, ApiAuth auth, ObjectMapper json, Pages pages) {
        this.service = service;
        this.repository = repository;
        this.gate = gate;
        this.audit = audit;
        this.auth = auth;
        this.json = json;
        this.pages = pages;
    }

    public record CoursesPage(Messages t, String csrf, List<CourseMappingRepository.Unmapped> unmapped,
                              List<CourseMappingRepository.Mapping> mappings, String done, String errorKey,
                              String errorSection) {
    }

    /** {@code GET /admin/courses}. */
    public void page(Context ctx) {
        AdminSessions.AdminSession session = gate.everyFaculty(ctx);
        render(ctx, session, 200, ctx.queryParam("mapped"), null, null);
    }

    /** {@code POST /admin/courses/{localSectionId}/map} with {@code sectionId}. */
    public void mapFromPage(Context ctx) {
        AdminSessions.AdminSession session = gate.everyFacultyPost(ctx);
        String local = ctx.pathParam("localSectionId");
        String target = ctx.formParam("sectionId");
        try {
            CourseMappingRepository.Mapping m = service.map(local, target, AdminGate.actor(session));
            audit.record(AdminGate.actor(session), "course.map", local, detail(m));
            ctx.redirect("/admin/courses?mapped=" + java.net.URLEncoder.encode(local, java.nio.charset.StandardCharsets.UTF_8),
                    HttpStatus.SEE_OTHER);
        } catch (MappingRefused e) {
            render(ctx, session, e.reason().status, null, "mapping.error." + e.reason().name(), local);
        }
    }

    /** {@code GET /api/v1/admin/course-mappings}: the unmapped local courses and the mappings made. */
    public void list(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("unmapped", repository.unmapped());
        out.put("mappings", repository.mappings().stream().map(CourseMappingHandler::detail).toList());
        ctx.json(out);
    }

    /** {@code PUT /api/v1/admin/course-mappings/{localSectionId}} with {@code {"sectionId": "..."}}. */
    public void map(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String local = ctx.pathParam("localSectionId");
        JsonNode body = JsonBody.read(ctx, json);
        JsonNode target = body.path("sectionId");
        if (!target.isTextual()) {
            throw ApiException.badRequest("invalid course mapping: nothing was changed",
                    List.of(new ApiException.Detail("sectionId", "required: a string, the portal section code")));
        }
        CourseMappingRepository.Mapping m;
        try {
            m = service.map(local, target.asText(), caller.name());
        } catch (MappingRefused e) {
            throw e.toApi();
        }
        audit.record(caller.name(), "course.map", local, detail(m));
        ctx.json(detail(m));
    }

    private void render(Context ctx, AdminSessions.AdminSession session, int status, String done, String error,
                        String errorSection) {
        pages.html(ctx, status, "course/mapping/courses.jte", new CoursesPage(gate.messages(ctx), gate.csrf(session),
                repository.unmapped(), repository.mappings(), done, error, errorSection));
    }

    private static Map<String, Object> detail(CourseMappingRepository.Mapping m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("localSectionId", m.localSectionId());
        d.put("platformId", m.platformId());
        d.put("contextId", m.contextId());
        d.put("sectionId", m.sectionId());
        d.put("mappedBy", m.mappedBy());
        d.put("mappedAt", m.mappedAt().toString());
        d.put("sessionsMoved", m.sessionsMoved());
        d.put("marksMoved", m.marksMoved());
        d.put("personsRekeyed", m.personsRekeyed());
        d.put("excusesMoved", m.excusesMoved());
        return d;
    }
}
