package kz.qatysu.sync.proctoring;

import kz.qatysu.connectors.portal.RecordError;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.connectors.qatysu.ToolModel;
import kz.qatysu.sync.engine.Desired;
import kz.qatysu.sync.engine.JobContext;
import kz.qatysu.sync.engine.JobInput;
import kz.qatysu.sync.engine.RunRepository;
import kz.qatysu.sync.engine.SourceRead;
import kz.qatysu.sync.engine.SyncJob;
import kz.qatysu.sync.engine.SyncStep;
import kz.qatysu.sync.engine.SyncTarget;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code verdicts} job, back from the tool (issue 11 "Results back"): the proctors' verdicts read from the tool's
 * feed ({@code GET /api/v1/proctoring/verdicts?since=<cursor>}, docs/PROCTORING.md "Verdicts API") → the portal sink
 * beside the grades ({@code portal.verdicts}, one row per attempt: its current verdict). The feed's cursor moves only
 * after a fully successful run that was not a dry run, so nothing is skipped; an attempt whose verdict changed comes
 * again and its row is updated (the ledger says which rows are unchanged).
 */
public final class VerdictsJob implements SyncJob {
    public static final String NAME = "verdicts";
    /** Every hour at :45 — after the attendance job. */
    public static final String DEFAULT_CRON = "0 45 * * * ?";
    static final String CURSOR = "tool.verdicts";
    static final int PAGE = 500;
    private static final Set<String> VERDICTS = Set.of("CLEAN", "SUSPICIOUS", "VIOLATION");

    private final ToolClient tool;
    private final RunRepository runs;
    private final SyncTarget portal;

    public VerdictsJob(ToolClient tool, RunRepository runs, SyncTarget portal) {
        this.tool = Objects.requireNonNull(tool, "tool");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.portal = Objects.requireNonNull(portal, "portal");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobInput prepare(JobContext context) {
        String cursor = runs.cursor(CURSOR).orElse("0");
        Map<String, Desired> byAttempt = new LinkedHashMap<>();
        List<RecordError> errors = new ArrayList<>();
        int entries = 0;
        for (int page = 0; page < 100_000; page++) {
            ToolModel.Verdicts v = tool.verdicts(cursor, PAGE);
            for (ToolModel.Verdict e : v.verdicts()) {
                entries++;
                RecordError problem = problem(e);
                if (problem != null) {
                    errors.add(problem);
                    continue;
                }
                // the last entry of an attempt is its current verdict
                byAttempt.remove(e.attemptId());
                byAttempt.put(e.attemptId(), Desired.of(e.attemptId(), fields(e)));
            }
            boolean done = !v.hasMore() || v.verdicts().isEmpty() || Objects.equals(v.cursor(), cursor);
            cursor = v.cursor();
            if (done) {
                break;
            }
        }
        context.note("verdict entries read", entries);
        String next = cursor;
        return new JobInput(List.of(new SyncStep(portal, List.copyOf(byAttempt.values()))),
                List.of(new SourceRead("tool.verdicts", entries, errors)))
                .thenOnSuccess(() -> {
                    if (!context.dryRun()) {
                        runs.saveCursor(CURSOR, next);
                    }
                });
    }

    /** What the portal gets of one verdict (pure). */
    static Map<String, String> fields(ToolModel.Verdict e) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("section", e.sectionId());
        f.put("person", e.personId());
        f.put("exam", e.examId());
        f.put("examTitle", e.examTitle() == null ? "" : e.examTitle());
        f.put("attempt", e.attemptId());
        f.put("verdict", e.verdict());
        f.put("score", e.score() == null ? "" : BigDecimal.valueOf(e.score()).stripTrailingZeros().toPlainString());
        f.put("decidedAt", e.decidedAt());
        return f;
    }

    /** A feed entry the portal cannot take, naming the field (pure). */
    static RecordError problem(ToolModel.Verdict e) {
        String ref = "verdict seq " + e.seq();
        if (blank(e.attemptId())) {
            return new RecordError(ref, null, "attemptId", e.attemptId(), "required");
        }
        if (blank(e.sectionId())) {
            return new RecordError(ref, e.attemptId(), "sectionId", e.sectionId(), "required");
        }
        if (blank(e.personId())) {
            return new RecordError(ref, e.attemptId(), "personId", e.personId(), "required");
        }
        if (blank(e.examId())) {
            return new RecordError(ref, e.attemptId(), "examId", e.examId(), "required");
        }
        if (e.verdict() == null || !VERDICTS.contains(e.verdict())) {
            return new RecordError(ref, e.attemptId(), "verdict", e.verdict(), "not one of CLEAN, SUSPICIOUS, VIOLATION");
        }
        if (e.score() != null && (e.score() < 0 || e.score() > 1 || e.score().isNaN())) {
            return new RecordError(ref, e.attemptId(), "score", String.valueOf(e.score()), "not between 0 and 1");
        }
        try {
            java.time.OffsetDateTime.parse(e.decidedAt());
        } catch (RuntimeException ex) {
            return new RecordError(ref, e.attemptId(), "decidedAt", e.decidedAt(), "not an ISO-8601 time with offset");
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
