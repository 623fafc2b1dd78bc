package kz.qatysu.sync.admin;

import kz.qatysu.sync.SyncRunReport;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static kz.qatysu.sync.admin.Html.esc;
import static kz.qatysu.sync.admin.Html.url;

/**
 * The admin pages as HTML strings in the reader's language ({@link AdminTexts}: kk, ru, en): plain server-side pages,
 * every value through {@link Html#esc}, no scripts, one style block under the response's CSP nonce. Times are shown
 * in the daemon's zone ({@code sync.timezone}) as {@code dd.MM.yyyy HH:mm}; statuses, modes, actions and job names
 * in words, never as the history's constants. Pure.
 */
final class AdminPages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm", Locale.ROOT);
    /** The language switch: each language's name in itself. */
    private static final Map<String, String> LANGUAGES = Map.of("kk", "Қазақша", "ru", "Русский", "en", "English");

    private final ZoneId zone;

    AdminPages(ZoneId zone) {
        this.zone = zone;
    }

    String zoneId() {
        return zone.getId();
    }

    String time(Instant t) {
        return t == null ? "—" : TIME.format(t.atZone(zone));
    }

    private static final String CSS = """
            body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
            header{background:#1f3a5f;color:#fff;padding:.6em 1em;display:flex;flex-wrap:wrap;gap:.8em;align-items:center}
            header a,header button{color:#fff;background:none;border:0;font:inherit;text-decoration:underline;cursor:pointer;padding:.2em .1em;min-height:24px;display:inline-block}
            header nav{display:flex;flex-wrap:wrap;gap:.8em;align-items:center}
            header nav.lang{margin-left:auto}
            header a[aria-current]{text-decoration:none;font-weight:600}
            header form{margin:0}
            main{padding:1em;max-width:72em}
            h1{font-size:1.3em}
            h2{font-size:1.1em;margin-top:1.4em}
            table{border-collapse:collapse;width:100%;background:#fff}
            th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
            .num{text-align:right}
            .flash{background:#fff3c4;border:1px solid #e0c060;padding:.6em}
            .bad{color:#a00000;font-weight:600}
            .ok{color:#126b12;font-weight:600}
            form.filter{display:flex;flex-wrap:wrap;gap:.6em;align-items:end;margin-bottom:1em}
            label{display:flex;flex-direction:column;font-size:.9em}
            input,select,button{font:inherit;padding:.3em .5em}
            .actions{display:flex;flex-wrap:wrap;gap:.4em}
            .actions form{margin:0}
            nav.pages{margin-top:1em;display:flex;gap:1em;align-items:center}
            nav.pages a,td a{display:inline-block;min-height:24px;min-width:24px;line-height:24px}
            code{overflow-wrap:anywhere}
            pre{white-space:pre-wrap;overflow-wrap:anywhere}
            @media (max-width:640px){
             table,thead,tbody,tr,th,td{display:block}
             thead{display:none}
             tr{border:1px solid #ccc;margin-bottom:.6em;background:#fff}
             td{border:0;padding:.2em .5em}
             td::before{content:attr(data-label) ": ";font-weight:600}
             .num{text-align:left}
            }
            """;

    /**
     * The frame of every page; {@code csrf} null = signed out (no navigation). {@code here} is the page's own GET
     * address (with its query) that the language switch links to with {@code lang=}.
     */
    String layout(AdminTexts t, String title, String nonce, String csrf, String flash, String body, String here) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<!doctype html><html lang=\"").append(t.language()).append("\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" — ").append(esc(t.t("app"))).append("</title>")
                .append("<style nonce=\"").append(esc(nonce)).append("\">").append(CSS).append("</style></head><body><header>")
                .append("<strong>").append(esc(t.t("app"))).append("</strong>");
        if (csrf != null) {
            sb.append("<nav aria-label=\"").append(esc(t.t("app"))).append("\"><a href=\"/admin/runs\">").append(esc(t.t("nav.runs")))
                    .append("</a><a href=\"/admin/jobs\">").append(esc(t.t("nav.jobs"))).append("</a>")
                    .append("<form method=\"post\" action=\"/admin/sign-out\">").append(csrfField(csrf))
                    .append("<button type=\"submit\">").append(esc(t.t("signOut"))).append("</button></form></nav>");
        }
        sb.append("<nav class=\"lang\" aria-label=\"").append(esc(t.t("language"))).append("\">");
        String sep = here.contains("?") ? "&" : "?";
        for (AdminTexts l : AdminTexts.ALL) {
            sb.append("<a href=\"").append(esc(here + sep + "lang=" + l.language())).append("\" lang=\"").append(l.language())
                    .append("\" hreflang=\"").append(l.language()).append('"').append(l == t ? " aria-current=\"true\"" : "")
                    .append('>').append(LANGUAGES.get(l.language())).append("</a>");
        }
        sb.append("</nav></header><main><h1>").append(esc(title)).append("</h1>");
        if (flash != null) {
            sb.append("<p class=\"flash\" role=\"status\">").append(esc(flash)).append("</p>");
        }
        return sb.append(body).append("</main></body></html>").toString();
    }

    static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    String signIn(AdminTexts t, String formCsrf, boolean failed) {
        return (failed ? "<p class=\"bad\" role=\"alert\">" + esc(t.t("signIn.wrong")) + "</p>" : "")
                + "<form method=\"post\" action=\"/admin/sign-in\">" + csrfField(formCsrf)
                + "<label>" + esc(t.t("signIn.token")) + "<input type=\"password\" name=\"token\" autocomplete=\"off\" required></label>"
                + "<p><button type=\"submit\">" + esc(t.t("signIn.submit")) + "</button></p></form>";
    }

    private static String td(String label, Object value) {
        return "<td data-label=\"" + esc(label) + "\">" + esc(value) + "</td>";
    }

    private static String tdNum(String label, String value) {
        return "<td class=\"num\" data-label=\"" + esc(label) + "\">" + esc(value) + "</td>";
    }

    private static String head(AdminTexts t, String... keys) {
        StringBuilder sb = new StringBuilder("<thead><tr>");
        for (String k : keys) {
            sb.append("<th scope=\"col\">").append(esc(t.t(k))).append("</th>");
        }
        return sb.append("</tr></thead>").toString();
    }

    static String statusClass(String status) {
        return switch (status) {
            case "SUCCEEDED", "DRY_RUN" -> "ok";
            case "RUNNING", "LOCKED" -> "";
            default -> "bad";
        };
    }

    private String runRow(AdminTexts t, AdminRuns.RunLine r) {
        return "<tr><td data-label=\"" + esc(t.t("col.run")) + "\"><a href=\"/admin/runs/" + r.id() + "\">#" + r.id() + "</a></td>"
                + td(t.t("col.job"), t.job(r.job())) + td(t.t("col.mode"), t.mode(r.mode())) + td(t.t("col.dryRun"), t.yesNo(r.dryRun()))
                + td(t.t("col.started"), time(r.startedAt())) + td(t.t("col.duration"), t.duration(r.startedAt(), r.finishedAt()))
                + "<td data-label=\"" + esc(t.t("col.outcome")) + "\" class=\"" + statusClass(r.status()) + "\">" + esc(t.status(r.status())) + "</td>"
                + tdNum(t.t("col.create"), t.number(r.create())) + tdNum(t.t("col.update"), t.number(r.update()))
                + tdNum(t.t("col.suspend"), t.number(r.suspend())) + tdNum(t.t("col.failed"), t.number(r.failed()))
                + tdNum(t.t("col.rejected"), t.number(r.rejected())) + tdNum(t.t("col.drift"), t.number(r.drift())) + "</tr>";
    }

    private static final String[] RUN_HEAD = {"col.run", "col.job", "col.mode", "col.dryRun", "col.started", "col.duration",
            "col.outcome", "col.create", "col.update", "col.suspend", "col.failed", "col.rejected", "col.drift"};

    /** The history's own address with its filters and page (for the language switch). */
    static String runsAddress(Optional<String> job, Optional<String> status, int page) {
        String q = (page > 1 ? "&page=" + page : "") + job.map(j -> "&job=" + url(j)).orElse("")
                + status.map(s -> "&outcome=" + url(s)).orElse("");
        return "/admin/runs" + (q.isEmpty() ? "" : "?" + q.substring(1));
    }

    String runs(AdminTexts t, AdminRuns.Page page, List<String> jobs, List<String> statuses, Optional<String> job, Optional<String> status) {
        StringBuilder sb = new StringBuilder();
        sb.append("<p>").append(esc(t.t("runs.intro", zone.getId()))).append("</p>");
        sb.append("<form class=\"filter\" method=\"get\" action=\"/admin/runs\"><label>").append(esc(t.t("filter.job")))
                .append("<select name=\"job\"><option value=\"\">").append(esc(t.t("filter.all"))).append("</option>");
        for (String j : jobs) {
            sb.append("<option value=\"").append(esc(j)).append('"').append(job.filter(j::equals).isPresent() ? " selected" : "")
                    .append('>').append(esc(t.job(j))).append("</option>");
        }
        sb.append("</select></label><label>").append(esc(t.t("filter.outcome"))).append("<select name=\"outcome\"><option value=\"\">")
                .append(esc(t.t("filter.all"))).append("</option>");
        for (String s : statuses) {
            sb.append("<option value=\"").append(esc(s)).append('"').append(status.filter(s::equals).isPresent() ? " selected" : "")
                    .append('>').append(esc(t.status(s))).append("</option>");
        }
        sb.append("</select></label><button type=\"submit\">").append(esc(t.t("filter.apply"))).append("</button></form>");
        if (page.runs().isEmpty()) {
            sb.append("<p>").append(esc(t.t("runs.none"))).append("</p>");
        } else {
            sb.append("<table>").append(head(t, RUN_HEAD)).append("<tbody>");
            page.runs().forEach(r -> sb.append(runRow(t, r)));
            sb.append("</tbody></table>");
        }
        sb.append("<nav class=\"pages\">");
        if (page.page() > 1) {
            sb.append("<a href=\"").append(esc(runsAddress(job, status, page.page() - 1))).append("\">").append(esc(t.t("runs.newer"))).append("</a>");
        }
        sb.append("<span>").append(esc(t.t("runs.page", t.number(page.page())))).append("</span>");
        if (page.more()) {
            sb.append("<a href=\"").append(esc(runsAddress(job, status, page.page() + 1))).append("\">").append(esc(t.t("runs.older")))
                    .append("</a>");
        }
        return sb.append("</nav>").toString();
    }

    private static String more(AdminTexts t, int listed, int total) {
        return total > listed ? "<p>" + esc(t.t("run.more", t.number(listed), t.number(total))) + "</p>" : "";
    }

    String run(AdminTexts t, AdminRuns.RunDetail d) {
        var r = d.run();
        StringBuilder sb = new StringBuilder("<table>").append(head(t, RUN_HEAD)).append("<tbody>").append(runRow(t, r)).append("</tbody></table>");
        sb.append("<p>").append(esc(t.t("run.finished", time(r.finishedAt()), r.host() == null ? "—" : r.host())))
                .append(r.forced() ? " " + esc(t.t("run.forced")) : "").append("</p>");
        if (d.message() != null && !d.message().isBlank()) {
            sb.append("<p>").append(esc(d.message())).append("</p>");
        }
        if (!d.refusals().isEmpty()) {
            sb.append("<h2>").append(esc(t.t("run.safetyValve"))).append("</h2><ul>");
            d.refusals().forEach(x -> sb.append("<li class=\"bad\">").append(esc(x)).append("</li>"));
            sb.append("</ul>");
        }
        if (!d.targets().isEmpty()) {
            sb.append("<h2>").append(esc(t.t("run.targets"))).append("</h2><table>")
                    .append(head(t, "col.target", "col.known", "col.create", "col.update", "col.suspend", "col.noop", "col.applied",
                            "col.failed")).append("<tbody>");
            for (var x : d.targets()) {
                sb.append("<tr>").append(td(t.t("col.target"), x.target())).append(tdNum(t.t("col.known"), t.number(x.known())))
                        .append(tdNum(t.t("col.create"), t.number(x.create()))).append(tdNum(t.t("col.update"), t.number(x.update())))
                        .append(tdNum(t.t("col.suspend"), t.number(x.suspend()))).append(tdNum(t.t("col.noop"), t.number(x.noop())))
                        .append(tdNum(t.t("col.applied"), t.number(x.applied()))).append(tdNum(t.t("col.failed"), t.number(x.failed())))
                        .append("</tr>");
            }
            sb.append("</tbody></table>");
        }
        sb.append("<h2>").append(esc(t.t("run.rejected", t.number(d.sourceErrorTotal())))).append("</h2>");
        if (!d.sourceErrors().isEmpty()) {
            sb.append("<table>").append(head(t, "col.source", "col.record", "col.field", "col.value", "col.reason")).append("<tbody>");
            for (var e : d.sourceErrors()) {
                sb.append("<tr>").append(td(t.t("col.source"), e.ref())).append(td(t.t("col.record"), e.record()))
                        .append(td(t.t("col.field"), e.field())).append(td(t.t("col.value"), e.value()))
                        .append(td(t.t("col.reason"), e.reason())).append("</tr>");
            }
            sb.append("</tbody></table>").append(more(t, d.sourceErrors().size(), d.sourceErrorTotal()));
        }
        sb.append("<h2>").append(esc(t.t("run.failures", t.number(d.failureTotal())))).append("</h2>");
        changes(t, sb, d.failures(), d.failureTotal());
        if (r.mode().equals("reconcile") || d.driftTotal() > 0) {
            sb.append("<h2>").append(esc(t.t("run.drift", t.number(d.driftTotal())))).append("</h2>");
            if (!d.drift().isEmpty()) {
                sb.append("<table>").append(head(t, "col.target", "col.record", "col.kind", "col.detail")).append("<tbody>");
                for (var x : d.drift()) {
                    sb.append("<tr>").append(td(t.t("col.target"), x.target())).append(td(t.t("col.record"), x.record()))
                            .append(td(t.t("col.kind"), t.drift(x.kind()))).append(td(t.t("col.detail"), x.detail())).append("</tr>");
                }
                sb.append("</tbody></table>").append(more(t, d.drift().size(), d.driftTotal()));
            }
        }
        if (d.plannedTotal() > 0) {
            sb.append("<h2>").append(esc(t.t("run.planned", t.number(d.plannedTotal())))).append("</h2>");
            changes(t, sb, d.planned(), d.plannedTotal());
        }
        return sb.toString();
    }

    private static void changes(AdminTexts t, StringBuilder sb, List<AdminRuns.ChangeLine> rows, int total) {
        if (rows.isEmpty()) {
            return;
        }
        sb.append("<table>").append(head(t, "col.target", "col.record", "col.action", "col.outcome", "col.detail")).append("<tbody>");
        for (var c : rows) {
            sb.append("<tr>").append(td(t.t("col.target"), c.target())).append(td(t.t("col.record"), c.record()))
                    .append(td(t.t("col.action"), t.action(c.action()))).append(td(t.t("col.outcome"), t.outcome(c.outcome())))
                    .append(td(t.t("col.detail"), c.detail())).append("</tr>");
        }
        sb.append("</tbody></table>").append(more(t, rows.size(), total));
    }

    String jobs(AdminTexts t, List<AdminJobs.JobLine> jobs, String csrf) {
        StringBuilder sb = new StringBuilder("<p>").append(esc(t.t("jobs.intro", zone.getId()))).append("</p>");
        sb.append("<table>").append(head(t, "col.job", "col.schedule", "col.nextRun", "col.lastOutcome", "col.state", "col.actions"))
                .append("<tbody>");
        for (AdminJobs.JobLine j : jobs) {
            sb.append("<tr><td data-label=\"").append(esc(t.t("col.job"))).append("\">").append(esc(t.job(j.name())))
                    .append(" <code>").append(esc(j.name())).append("</code></td>")
                    .append(j.enabled() ? "<td data-label=\"" + esc(t.t("col.schedule")) + "\"><code>" + esc(j.cron()) + "</code></td>"
                            : td(t.t("col.schedule"), t.t("jobs.disabled")))
                    .append(td(t.t("col.nextRun"), j.nextFire() == null ? "—" : time(j.nextFire())));
            if (j.last() == null) {
                sb.append(td(t.t("col.lastOutcome"), t.t("jobs.neverRan")));
            } else {
                sb.append("<td data-label=\"").append(esc(t.t("col.lastOutcome"))).append("\"><a href=\"/admin/runs/").append(j.last().id())
                        .append("\" class=\"").append(statusClass(j.last().status())).append("\">").append(esc(t.status(j.last().status())))
                        .append("</a> ").append(esc(time(j.last().startedAt()))).append("</td>");
            }
            sb.append(td(t.t("col.state"), t.t(j.running() ? "jobs.running" : "jobs.idle")))
                    .append("<td data-label=\"").append(esc(t.t("col.actions"))).append("\"><div class=\"actions\">")
                    .append("<form method=\"post\" action=\"/admin/jobs/").append(esc(url(j.name()))).append("/dry-run\">")
                    .append(csrfField(csrf)).append("<button type=\"submit\">").append(esc(t.t("jobs.dryRun"))).append("</button></form>")
                    .append("<form method=\"post\" action=\"/admin/jobs/").append(esc(url(j.name()))).append("/run\">")
                    .append(csrfField(csrf)).append("<button type=\"submit\">").append(esc(t.t("jobs.runNow"))).append("</button></form>")
                    .append("</div></td></tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    /** The plan of a dry run: per target the creates, updates and suspends with record ids, and the safety valve's verdict. */
    String plan(AdminTexts t, List<SyncRunReport> reports) {
        StringBuilder sb = new StringBuilder();
        if (reports.isEmpty()) {
            return "<p>" + esc(t.t("plan.nothing")) + "</p>";
        }
        for (SyncRunReport r : reports) {
            sb.append("<h2>").append(esc(t.job(r.job()))).append(r.reconcile() ? " (" + esc(t.t("plan.reconciliation")) + ")" : "")
                    .append(": <span class=\"").append(statusClass(r.status().name())).append("\">").append(esc(t.status(r.status().name())))
                    .append("</span>");
            if (r.runId() > 0) {
                sb.append(" — <a href=\"/admin/runs/").append(r.runId()).append("\">").append(esc(t.t("plan.runLink", Long.toString(r.runId()))))
                        .append("</a>");
            }
            sb.append("</h2>");
            if (r.message() != null && !r.message().isBlank()) {
                sb.append("<p>").append(esc(r.message())).append("</p>");
            }
            if (r.refusals().isEmpty()) {
                sb.append(r.status() == kz.qatysu.sync.engine.RunStatus.DRY_RUN
                        ? "<p class=\"ok\">" + esc(t.t("plan.valveOk")) + "</p>" : "");
            } else {
                sb.append("<p class=\"bad\">").append(esc(t.t("plan.valveStops"))).append("</p><ul>");
                r.refusals().forEach(x -> sb.append("<li>").append(esc(x)).append("</li>"));
                sb.append("</ul>");
            }
            if (r.sourceErrorCount() > 0) {
                sb.append("<p>").append(esc(t.t("plan.rejected", t.number(r.sourceErrorCount())))).append("</p>");
            }
            Map<String, List<SyncRunReport.PlannedChange>> byTarget = new LinkedHashMap<>();
            r.plan().forEach(p -> byTarget.computeIfAbsent(p.target(), k -> new java.util.ArrayList<>()).add(p));
            for (var x : r.targets()) {
                sb.append("<h3>").append(esc(t.t("plan.target", x.target(), t.number(x.create()), t.number(x.update()),
                        t.number(x.suspend()), t.number(x.noop())))).append("</h3>");
                List<SyncRunReport.PlannedChange> changes = byTarget.getOrDefault(x.target(), List.of());
                if (!changes.isEmpty()) {
                    sb.append("<table>").append(head(t, "col.action", "col.record", "col.why")).append("<tbody>");
                    for (var c : changes) {
                        sb.append("<tr>").append(td(t.t("col.action"), t.action(c.action()))).append(td(t.t("col.record"), c.key()))
                                .append(td(t.t("col.why"), c.explanation())).append("</tr>");
                    }
                    sb.append("</tbody></table>");
                }
            }
            if (r.plan().size() >= SyncRunReport.PLAN_LISTED) {
                sb.append("<p>").append(esc(t.t("plan.firstListed", t.number(SyncRunReport.PLAN_LISTED)))).append("</p>");
            }
        }
        return sb.toString();
    }
}
