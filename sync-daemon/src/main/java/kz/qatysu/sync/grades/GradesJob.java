package kz.qatysu.sync.grades;

import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.moodle.MoodleModel;
import kz.qatysu.connectors.portal.GradeEntry;
import kz.qatysu.connectors.portal.PortalReader;
import kz.qatysu.connectors.portal.SourceBatch;
import kz.qatysu.sync.engine.Desired;
import kz.qatysu.sync.engine.JobContext;
import kz.qatysu.sync.engine.JobInput;
import kz.qatysu.sync.engine.SourceRead;
import kz.qatysu.sync.engine.SyncJob;
import kz.qatysu.sync.engine.SyncStep;
import kz.qatysu.sync.sections.MoodleCoursesTarget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code grades} job, with a direction per assessment item (RK1, MIDTERM, RK2, EXAM, FINAL): portal → Moodle
 * gradebook, or Moodle gradebook → portal journal. Every grade carries its letter on the Kazakhstan scale.
 */
public final class GradesJob implements SyncJob {
    public static final String NAME = "grades";
    /** Every night at 04:00. */
    public static final String DEFAULT_CRON = "0 0 4 * * ?";

    private final PortalReader portal;
    private final Map<GradeEntry.Item, GradeDirection> directions;
    private final Optional<MoodleClient> moodle;
    private final Optional<MoodleGradesTarget> toMoodle;
    private final Optional<PortalJournalTarget> toPortal;

    public GradesJob(PortalReader portal, Map<GradeEntry.Item, GradeDirection> directions, Optional<MoodleClient> moodle,
                     Optional<MoodleGradesTarget> toMoodle, Optional<PortalJournalTarget> toPortal) {
        this.portal = Objects.requireNonNull(portal, "portal");
        this.directions = Map.copyOf(directions);
        this.moodle = moodle;
        this.toMoodle = toMoodle;
        this.toPortal = toPortal;
    }

    @Override
    public String name() {
        return NAME;
    }

    private GradeDirection direction(GradeEntry.Item item) {
        return directions.getOrDefault(item, GradeDirection.NONE);
    }

    @Override
    public JobInput prepare(JobContext context) {
        List<SyncStep> steps = new ArrayList<>();
        List<SourceRead> reads = new ArrayList<>();
        boolean anyFromPortal = directions.values().contains(GradeDirection.PORTAL_TO_LMS);
        if (anyFromPortal && toMoodle.isPresent()) {
            SourceBatch<GradeEntry> grades = portal.grades();
            reads.add(SourceRead.of("grades", grades));
            steps.add(new SyncStep(toMoodle.get(), grades.records().stream()
                    .filter(g -> direction(g.item()) == GradeDirection.PORTAL_TO_LMS).map(GradesJob::moodleGrade).toList()));
        }
        if (directions.values().contains(GradeDirection.LMS_TO_PORTAL) && toPortal.isPresent() && moodle.isPresent()) {
            steps.add(new SyncStep(toPortal.get(), fromMoodle(context, moodle.get())));
        }
        return new JobInput(steps, reads);
    }

    static Desired moodleGrade(GradeEntry g) {
        BigDecimal percent = g.percent().setScale(2, RoundingMode.HALF_UP);
        return Desired.of(g.key(), Map.of("section", g.sectionCode(), "person", g.personId(), "item", g.item().name(),
                "percent", percent.toPlainString(), "letter", LetterScale.of(percent).letter()));
    }

    /** Reads the gradebook of every course the sync made and keeps the items that flow to the portal. */
    private List<Desired> fromMoodle(JobContext context, MoodleClient client) {
        Map<String, String> courses = context.ledger().remoteIds(MoodleCoursesTarget.NAME);
        List<Desired> out = new ArrayList<>();
        for (var course : new java.util.TreeMap<>(courses).entrySet()) {
            for (MoodleModel.GradeItem gi : client.gradeItems(Long.parseLong(course.getValue()), 0)) {
                GradeEntry.Item item = item(gi.idnumber());
                if (item == null || direction(item) != GradeDirection.LMS_TO_PORTAL || gi.graderaw() == null || gi.useridnumber().isBlank()) {
                    continue;
                }
                BigDecimal max = BigDecimal.valueOf(gi.grademax());
                BigDecimal score = BigDecimal.valueOf(gi.graderaw()).setScale(2, RoundingMode.HALF_UP);
                BigDecimal percent = score.multiply(BigDecimal.valueOf(100)).divide(max, 2, RoundingMode.HALF_UP);
                Map<String, String> f = new LinkedHashMap<>();
                f.put("section", course.getKey());
                f.put("person", gi.useridnumber());
                f.put("item", item.name());
                f.put("score", score.toPlainString());
                f.put("max", max.setScale(2, RoundingMode.HALF_UP).toPlainString());
                f.put("letter", LetterScale.of(percent.min(BigDecimal.valueOf(100))).letter());
                out.add(Desired.of(course.getKey() + "/" + gi.useridnumber() + "/" + item.name(), f));
            }
        }
        return out;
    }

    private static GradeEntry.Item item(String idnumber) {
        try {
            return GradeEntry.Item.valueOf(idnumber.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
