package kz.qatysu.sync.attendance;

import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.connectors.qatysu.ToolModel;
import kz.qatysu.sync.engine.Desired;
import kz.qatysu.sync.engine.JobContext;
import kz.qatysu.sync.engine.JobInput;
import kz.qatysu.sync.engine.RunRepository;
import kz.qatysu.sync.engine.SyncJob;
import kz.qatysu.sync.engine.SyncStep;
import kz.qatysu.sync.engine.SyncTarget;
import kz.qatysu.sync.sections.ToolSectionsTarget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code attendance} job, back from the tool: each student's standing (OK / WARNING / LOCKED) → the course's
 * "Attendance lock" group in Moodle (member exactly while LOCKED) and, where the portal accepts them, the standing and
 * the marks taken in the tool → the portal. Marks come from the tool's change feed; its cursor moves only after a
 * fully successful run, so nothing is skipped.
 */
public final class AttendanceJob implements SyncJob {
    public static final String NAME = "attendance";
    /** Every hour at :30 — locks should reach Moodle the same day. */
    public static final String DEFAULT_CRON = "0 30 * * * ?";
    static final String CURSOR = "tool.changes";

    private final ToolClient tool;
    private final RunRepository runs;
    private final Optional<SyncTarget> lockGroup;
    private final Optional<SyncTarget> portalStanding;
    private final Optional<SyncTarget> portalMarks;

    public AttendanceJob(ToolClient tool, RunRepository runs, Optional<SyncTarget> lockGroup, Optional<SyncTarget> portalStanding,
                         Optional<SyncTarget> portalMarks) {
        this.tool = Objects.requireNonNull(tool, "tool");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.lockGroup = lockGroup;
        this.portalStanding = portalStanding;
        this.portalMarks = portalMarks;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobInput prepare(JobContext context) {
        List<Desired> locked = new ArrayList<>();
        List<Desired> standing = new ArrayList<>();
        int lockedCount = 0;
        for (String section : new TreeSet<>(context.ledger().remoteIds(ToolSectionsTarget.SECTIONS).keySet())) {
            for (ToolModel.Standing s : tool.standing(section)) {
                if ("LOCKED".equals(s.state())) {
                    lockedCount++;
                    locked.add(Desired.of(section + "/" + s.personId(), Map.of("section", section, "person", s.personId())));
                }
                Map<String, String> f = new LinkedHashMap<>();
                f.put("section", section);
                f.put("person", s.personId());
                f.put("state", s.state());
                f.put("absenceShare", String.format(Locale.ROOT, "%.4f", s.absenceShare()));
                f.put("absentHours", String.format(Locale.ROOT, "%.2f", s.absentHours()));
                f.put("plannedHours", String.format(Locale.ROOT, "%.2f", s.plannedHours()));
                f.put("reason", s.reason() == null ? "" : s.reason());
                standing.add(Desired.of(section + "/" + s.personId(), f));
            }
        }
        context.note("students locked out of assessments", lockedCount);
        List<SyncStep> steps = new ArrayList<>();
        lockGroup.ifPresent(t -> steps.add(new SyncStep(t, locked)));
        portalStanding.ifPresent(t -> steps.add(new SyncStep(t, standing)));
        JobInput input;
        if (portalMarks.isPresent()) {
            String cursor = runs.cursor(CURSOR).orElse(null);
            Map<String, Desired> marks = new LinkedHashMap<>();
            for (int page = 0; page < 10_000; page++) {
                ToolModel.Changes changes;
                try {
                    changes = tool.changes(cursor);
                } catch (kz.qatysu.connectors.qatysu.ToolApiException e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                    // a tool without the change feed: standing and locks still go out, marks wait
                    context.note("marks not pushed", "the tool has no change feed (GET /api/v1/changes answered 404)");
                    break;
                }
                for (ToolModel.Change c : changes.changes()) {
                    if (c.sessionId() != null && c.status() != null && c.personId() != null) {
                        Map<String, String> f = new LinkedHashMap<>();
                        f.put("section", c.sectionId() == null ? "" : c.sectionId());
                        f.put("session", c.sessionId());
                        f.put("person", c.personId());
                        f.put("status", c.status());
                        f.put("lateMinutes", c.lateMinutes() == null ? "" : c.lateMinutes().toString());
                        f.put("reason", c.reason() == null ? "" : c.reason());
                        marks.put(c.sessionId() + "/" + c.personId(), Desired.of(c.sessionId() + "/" + c.personId(), f));
                    }
                }
                boolean done = changes.changes().isEmpty() || Objects.equals(changes.cursor(), cursor);
                cursor = changes.cursor();
                if (done) {
                    break;
                }
            }
            steps.add(new SyncStep(portalMarks.get(), List.copyOf(marks.values())));
            String next = cursor;
            input = new JobInput(steps, List.of()).thenOnSuccess(() -> {
                if (next != null && !context.dryRun()) {
                    runs.saveCursor(CURSOR, next);
                }
            });
        } else {
            input = new JobInput(steps, List.of());
        }
        return input;
    }
}
