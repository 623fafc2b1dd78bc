package kz.qatysu.tool.reports;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The dean's office's reports per academic group (admin sign-in):
 * <ul>
 *   <li>{@code /admin/reports/groups}: every group with its students, disciplines and how many students stand at
 *       WARNING / LOCKED (by their worst state), each linking to its report;</li>
 *   <li>{@code /admin/reports/groups/{group}}: the group's students × disciplines, printable, or
 *       {@code ?format=csv} / {@code ?format=xlsx} like every other report.</li>
 * </ul>
 */
public final class GroupReportsHandler {
    private final GroupReports groups;
    private final ReportsHandler reports;
    private final AdminGate admin;
    private final Pages pages;

    public GroupReportsHandler(GroupReports groups, ReportsHandler reports, AdminGate admin, Pages pages) {
        this.groups = groups;
        this.reports = reports;
        this.admin = admin;
        this.pages = pages;
    }

    public record GroupLink(GroupReports.GroupRow row, String href) {
    }

    public record GroupsPage(Messages t, List<GroupLink> groups) {
    }

    public void list(Context ctx) {
        admin.everyFaculty(ctx);
        ctx.header("Cache-Control", "private, no-store");
        pages.html(ctx, "reports/groups.jte", new GroupsPage(admin.messages(ctx),
                groups.groups().stream().map(g -> new GroupLink(g, href(g.group()))).toList()));
    }

    public void group(Context ctx) {
        admin.everyFaculty(ctx);
        Messages t = admin.messages(ctx);
        String group = ctx.pathParam("group").strip();
        reports.send(ctx, t, groups.group(group, t)
                .orElseThrow(() -> new NotFoundResponse("no enrolled student of academic group '" + group + "'")));
    }

    /** The report's address; the code is percent-encoded (Cyrillic, spaces). */
    public static String href(String group) {
        return "/admin/reports/groups/" + URLEncoder.encode(group, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
