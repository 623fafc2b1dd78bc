package kz.qatysu.sync.admin;

import kz.qatysu.sync.SyncRunReport;

import java.time.Duration;
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
 * The admin pages as HTML strings: plain server-side pages, every value through {@link Html#esc}, no scripts, one
 * style block under the response's CSP nonce. Times are shown in the daemon's zone ({@code sync.timezone}). Pure.
 */
final class AdminPages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss", Locale.ROOT);

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

    static String duration(Instant start, Instant end) {
        if (start == null || end == null) {
            return "—";
        }
        Duration d = Duration.between(start, end);
        long s = d.toSeconds();
        return s < 60 ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0) : s / 60 + " min " + s % 60 + " s";
    }

    private static final String CSS = """
            body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
            header{background:#1f3a5f;color:#fff;padding:.6em 1em;display:flex;flex-wrap:wrap;gap:.8em;align-items:center}
            header a,header button{color:#fff;background:none;border:0;font:inherit;text-decoration:underline;cursor:pointer;padding:0}
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
            nav.pages{margin-top:1em;display:flex;gap:1em}
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

    /** The frame of every page; {@code csrf} null = signed out (no navigation). */
    String layout(String title, String nonce, String csrf, String flash, String body) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" — Qatysu sync</title>")
                .append("<style nonce=\"").append(esc(nonce)).append("\">").append(CSS).append("</style></head><body><header>")
                .append("<strong>Qatysu sync</strong>");
        if (csrf != null) {
            sb.append("<a href=\"/admin/runs\">Runs</a><a href=\"/admin/jobs\">Jobs</a>")
                    .append("<form method=\"post\" action=\"/admin/sign-out\">").append(csrfField(csrf))
                    .append("<button type=\"submit\">Sign out</button></form>");
        }
        sb.append("</header><main><h1>").append(esc(title)).append("</h1>");
        if (flash != null) {
            sb.append("<p class=\"flash\" role=\"status\">").append(esc(flash)).append("</p>");
        }
        return sb.append(body).append("</main></body></html>").toString();
    }

    static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    String signIn(String formCsrf, boolean failed) {
        return (failed ? "<p class=\"bad\" role=\"alert\">Wrong token.</p>" : "")
                + "<form method=\"post\" action=\"/admin/sign-in\">" + csrfField(formCsrf)
                + "<label>Admin token (sync.admin.token)<input type=\"password\" name=\"token\" autocomplete=\"off\" required></label>"
                + "<p><button type=\"submit\">Sign in</button></p></form>";
    }

    private static String td(String label, Object value) {
        return "<td data-label=\"" + esc(label) + "\">" + esc(value) + "</td>";
    }

    private static String tdNum(String label, Object value) {
        return "<td class=\"num\" data-label=\"" + esc(label) + "\">" + esc(value) + "</td>";
    }

    private static String head(String... labels) {
        StringBuilder sb = new StringBuilder("<thead><tr>");
        for (String l : labels) {
            sb.append("<th scope=\"col\">").append(esc(l)).append("</th>");
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

    private String runRow(AdminRuns.RunLine r) {
        return "<tr><td data-label=\"Run\"><a href=\"/admin/runs/" + r.id() + "\">#" + r.id() + "</a></td>"
                + td("Job", r.job()) + td("Mode", r.mode()) + td("Dry run", r.dryRun() ? "yes" : "no")
                + td("Started", time(r.startedAt())) + td("Duration", duration(r.startedAt(), r.finishedAt()))
                + "<td data-label=\"Outcome\" class=\"" + statusClass(r.status()) + "\">" + esc(r.status()) + "</td>"
                + tdNum("Create", r.create()) + tdNum("Update", r.update()) + tdNum("Suspend", r.suspend())
                + tdNum("Failed", r.failed()) + tdNum("Rejected", r.rejected()) + tdNum("Drift", r.drift()) + "</tr>";
    }

    private static final String[] RUN_HEAD = {"Run", "Job", "Mode", "Dry run", "Started", "Duration", "Outcome", "Create",
            "Update", "Suspend", "Failed", "Rejected", "Drift"};

    String runs(AdminRuns.Page page, List<String> jobs, List<String> statuses, Optional<String> job, Optional<String> status) {
        StringBuilder sb = new StringBuilder();
        sb.append("<p>Times in ").append(esc(zone.getId())).append(". Counts: planned changes by action (applied for a real run),"
                + " records that failed to apply, source records rejected, records drifted (reconciliation).</p>");
        sb.append("<form class=\"filter\" method=\"get\" action=\"/admin/runs\"><label>Job<select name=\"job\"><option value=\"\">all</option>");
        for (String j : jobs) {
            sb.append("<option value=\"").append(esc(j)).append('"').append(job.filter(j::equals).isPresent() ? " selected" : "")
                    .append('>').append(esc(j)).append("</option>");
        }
        sb.append("</select></label><label>Outcome<select name=\"outcome\"><option value=\"\">all</option>");
        for (String s : statuses) {
            sb.append("<option value=\"").append(esc(s)).append('"').append(status.filter(s::equals).isPresent() ? " selected" : "")
                    .append('>').append(esc(s)).append("</option>");
        }
        sb.append("</select></label><button type=\"submit\">Filter</button></form>");
        if (page.runs().isEmpty()) {
            sb.append("<p>No runs.</p>");
        } else {
            sb.append("<table>").append(head(RUN_HEAD)).append("<tbody>");
            page.runs().forEach(r -> sb.append(runRow(r)));
            sb.append("</tbody></table>");
        }
        String filter = job.map(j -> "&job=" + url(j)).orElse("") + status.map(s -> "&outcome=" + url(s)).orElse("");
        sb.append("<nav class=\"pages\">");
        if (page.page() > 1) {
            sb.append("<a href=\"/admin/runs?page=").append(page.page() - 1).append(esc(filter)).append("\">Newer</a>");
        }
        sb.append("<span>Page ").append(page.page()).append("</span>");
        if (page.more()) {
            sb.append("<a href=\"/admin/runs?page=").append(page.page() + 1).append(esc(filter)).append("\">Older</a>");
        }
        return sb.append("</nav>").toString();
    }

    private static String more(int listed, int total) {
        return total > listed ? "<p>First " + listed + " of " + total + " (the run history keeps all; see the JSON report"
                + " or the database).</p>" : "";
    }

    String run(AdminRuns.RunDetail d) {
        var r = d.run();
        StringBuilder sb = new StringBuilder("<table>").append(head(RUN_HEAD)).append("<tbody>").append(runRow(r)).append("</tbody></table>");
        sb.append("<p>Finished ").append(esc(time(r.finishedAt()))).append(" on ").append(esc(r.host()))
                .append(r.forced() ? " — forced past the safety valve" : "").append(".</p>");
        if (d.message() != null && !d.message().isBlank()) {
            sb.append("<p>").append(esc(d.message())).append("</p>");
        }
        if (!d.refusals().isEmpty()) {
            sb.append("<h2>Safety valve</h2><ul>");
            d.refusals().forEach(x -> sb.append("<li class=\"bad\">").append(esc(x)).append("</li>"));
            sb.append("</ul>");
        }
        if (!d.targets().isEmpty()) {
            sb.append("<h2>Counters by target</h2><table>")
                    .append(head("Target", "Known", "Create", "Update", "Suspend", "No-op", "Applied", "Failed")).append("<tbody>");
            for (var t : d.targets()) {
                sb.append("<tr>").append(td("Target", t.target())).append(tdNum("Known", t.known())).append(tdNum("Create", t.create()))
                        .append(tdNum("Update", t.update())).append(tdNum("Suspend", t.suspend())).append(tdNum("No-op", t.noop()))
                        .append(tdNum("Applied", t.applied())).append(tdNum("Failed", t.failed())).append("</tr>");
            }
            sb.append("</tbody></table>");
        }
        sb.append("<h2>Rejected source records (").append(d.sourceErrorTotal()).append(")</h2>");
        if (!d.sourceErrors().isEmpty()) {
            sb.append("<table>").append(head("Source", "Record", "Field", "Value", "Reason")).append("<tbody>");
            for (var e : d.sourceErrors()) {
                sb.append("<tr>").append(td("Source", e.ref())).append(td("Record", e.record())).append(td("Field", e.field()))
                        .append(td("Value", e.value())).append(td("Reason", e.reason())).append("</tr>");
            }
            sb.append("</tbody></table>").append(more(d.sourceErrors().size(), d.sourceErrorTotal()));
        }
        sb.append("<h2>Records that failed to apply (").append(d.failureTotal()).append(")</h2>");
        changes(sb, d.failures(), d.failureTotal());
        if (r.mode().equals("reconcile") || d.driftTotal() > 0) {
            sb.append("<h2>Drift (").append(d.driftTotal()).append(")</h2>");
            if (!d.drift().isEmpty()) {
                sb.append("<table>").append(head("Target", "Record", "Kind", "Detail")).append("<tbody>");
                for (var x : d.drift()) {
                    sb.append("<tr>").append(td("Target", x.target())).append(td("Record", x.record())).append(td("Kind", x.kind()))
                            .append(td("Detail", x.detail())).append("</tr>");
                }
                sb.append("</tbody></table>").append(more(d.drift().size(), d.driftTotal()));
            }
        }
        if (d.plannedTotal() > 0) {
            sb.append("<h2>Planned, not written (").append(d.plannedTotal()).append(")</h2>");
            changes(sb, d.planned(), d.plannedTotal());
        }
        return sb.toString();
    }

    private static void changes(StringBuilder sb, List<AdminRuns.ChangeLine> rows, int total) {
        if (rows.isEmpty()) {
            return;
        }
        sb.append("<table>").append(head("Target", "Record", "Action", "Outcome", "Detail")).append("<tbody>");
        for (var c : rows) {
            sb.append("<tr>").append(td("Target", c.target())).append(td("Record", c.record())).append(td("Action", c.action()))
                    .append(td("Outcome", c.outcome())).append(td("Detail", c.detail())).append("</tr>");
        }
        sb.append("</tbody></table>").append(more(rows.size(), total));
    }

    String jobs(List<AdminJobs.JobLine> jobs, String csrf) {
        StringBuilder sb = new StringBuilder("<p>Times in ").append(esc(zone.getId()))
                .append(". <em>Dry run</em> computes the plan now and writes nothing (like <code>sync plan</code>);"
                        + " <em>Run now</em> hands the job to the scheduler (in a cluster any node may take it).</p>");
        sb.append("<table>").append(head("Job", "Schedule", "Next run", "Last outcome", "State", "")).append("<tbody>");
        for (AdminJobs.JobLine j : jobs) {
            sb.append("<tr>").append(td("Job", j.name())).append(td("Schedule", j.enabled() ? j.cron() : "disabled"))
                    .append(td("Next run", j.nextFire() == null ? "—" : time(j.nextFire())));
            if (j.last() == null) {
                sb.append(td("Last outcome", "never ran"));
            } else {
                sb.append("<td data-label=\"Last outcome\"><a href=\"/admin/runs/").append(j.last().id()).append("\" class=\"")
                        .append(statusClass(j.last().status())).append("\">").append(esc(j.last().status())).append("</a> ")
                        .append(esc(time(j.last().startedAt()))).append("</td>");
            }
            sb.append(td("State", j.running() ? "running" : "idle"))
                    .append("<td data-label=\"Actions\"><div class=\"actions\">")
                    .append("<form method=\"post\" action=\"/admin/jobs/").append(esc(url(j.name()))).append("/dry-run\">")
                    .append(csrfField(csrf)).append("<button type=\"submit\">Dry run</button></form>")
                    .append("<form method=\"post\" action=\"/admin/jobs/").append(esc(url(j.name()))).append("/run\">")
                    .append(csrfField(csrf)).append("<button type=\"submit\">Run now</button></form>")
                    .append("</div></td></tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    /** The plan of a dry run: per target the creates, updates and suspends with record ids, and the safety valve's verdict. */
    String plan(List<SyncRunReport> reports) {
        StringBuilder sb = new StringBuilder();
        if (reports.isEmpty()) {
            return "<p>Nothing to plan: no target of this job is configured.</p>";
        }
        for (SyncRunReport r : reports) {
            sb.append("<h2>").append(esc(r.job())).append(r.reconcile() ? " (reconciliation)" : "").append(": ")
                    .append("<span class=\"").append(statusClass(r.status().name())).append("\">").append(esc(r.status().name()))
                    .append("</span>");
            if (r.runId() > 0) {
                sb.append(" — <a href=\"/admin/runs/").append(r.runId()).append("\">run #").append(r.runId()).append("</a>");
            }
            sb.append("</h2>");
            if (r.message() != null && !r.message().isBlank()) {
                sb.append("<p>").append(esc(r.message())).append("</p>");
            }
            if (r.refusals().isEmpty()) {
                sb.append(r.status() == kz.qatysu.sync.engine.RunStatus.DRY_RUN
                        ? "<p class=\"ok\">The safety valve would let this plan through.</p>" : "");
            } else {
                sb.append("<p class=\"bad\">The safety valve would stop this plan:</p><ul>");
                r.refusals().forEach(x -> sb.append("<li>").append(esc(x)).append("</li>"));
                sb.append("</ul>");
            }
            if (r.sourceErrorCount() > 0) {
                sb.append("<p>").append(r.sourceErrorCount()).append(" source record(s) rejected — see the run.</p>");
            }
            Map<String, List<SyncRunReport.PlannedChange>> byTarget = new LinkedHashMap<>();
            r.plan().forEach(p -> byTarget.computeIfAbsent(p.target(), k -> new java.util.ArrayList<>()).add(p));
            for (var t : r.targets()) {
                sb.append("<h3>").append(esc(t.target())).append(": ").append(t.create()).append(" create, ").append(t.update())
                        .append(" update, ").append(t.suspend()).append(" suspend, ").append(t.noop()).append(" unchanged</h3>");
                List<SyncRunReport.PlannedChange> changes = byTarget.getOrDefault(t.target(), List.of());
                if (!changes.isEmpty()) {
                    sb.append("<table>").append(head("Action", "Record", "Why")).append("<tbody>");
                    for (var c : changes) {
                        sb.append("<tr>").append(td("Action", c.action().toLowerCase(Locale.ROOT))).append(td("Record", c.key()))
                                .append(td("Why", c.explanation())).append("</tr>");
                    }
                    sb.append("</tbody></table>");
                }
            }
            if (r.plan().size() >= SyncRunReport.PLAN_LISTED) {
                sb.append("<p>The first ").append(SyncRunReport.PLAN_LISTED).append(" changes are listed; the run keeps all.</p>");
            }
        }
        return sb.toString();
    }
}
