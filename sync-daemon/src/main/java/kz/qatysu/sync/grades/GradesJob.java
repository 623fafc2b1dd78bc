package kz.qatysu.sync.grades;

import kz.qatysu.academic.LetterScale;
import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.moodle.MoodleModel;
import kz.qatysu.connectors.openedx.OpenEdxClient;
import kz.qatysu.connectors.openedx.OpenEdxModel;
import kz.qatysu.connectors.portal.GradeEntry;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.Section;
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
 * gradebook, or LMS → portal journal (the Moodle gradebook; for FINAL also Open edX course grades). Every grade
 * carries its letter on the Kazakhstan scale.
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
    private final Optional<OpenEdxClient> openEdx;

    public GradesJob(PortalReader portal, Map<GradeEntry.Item, GradeDirection> directions, Optional<MoodleClient> moodle,
                     Optional<MoodleGradesTarget> toMoodle, Optional<PortalJournalTarget> toPortal, Optional<OpenEdxClient> openEdx) {
        this.portal = Objects.requireNonNull(portal, "portal");
        this.directions = Map.copyOf(directions);
        this.moodle = moodle;
        this.toMoodle = toMoodle;
        this.toPortal = toPortal;
        this.openEdx = openEdx;
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
        if (directions.values().contains(GradeDirection.LMS_TO_PORTAL) && toPortal.isPresent()) {
            List<Desired> back = new ArrayList<>();
            moodle.ifPresent(m -> back.addAll(fromMoodle(context, m)));
            if (openEdx.isPresent() && direction(GradeEntry.Item.FINAL) == GradeDirection.LMS_TO_PORTAL) {
                back.addAll(fromOpenEdx(openEdx.get(), reads));
            }
            steps.add(new SyncStep(toPortal.get(), back));
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

    /**
     * Open edX course grades as the FINAL item of the sections that run there: the course percent on a 0–100 scale,
     * matched to portal persons by username = portal login (Open edX keys grades on username).
     */
    private List<Desired> fromOpenEdx(OpenEdxClient edx, List<SourceRead> reads) {
        SourceBatch<Section> sections = portal.sections();
        SourceBatch<Person> persons = portal.persons();
        reads.add(SourceRead.of("sections", sections));
        reads.add(SourceRead.of("persons", persons));
        Map<String, String> personByLogin = new java.util.HashMap<>();
        persons.records().forEach(p -> personByLogin.put(p.login(), p.id()));
        List<Desired> out = new ArrayList<>();
        for (Section s : sections.records()) {
            if (s.openedxCourseId() == null) {
                continue;
            }
            for (OpenEdxModel.Grade g : edx.courseGrades(s.openedxCourseId())) {
                String person = personByLogin.get(g.username().toLowerCase(Locale.ROOT));
                if (person == null) {
                    continue; // a learner the portal does not know (e.g. an auditor): not the portal's journal
                }
                BigDecimal percent = BigDecimal.valueOf(g.percent()).multiply(BigDecimal.valueOf(100)).setScale(2, RoundingMode.HALF_UP)
                        .min(BigDecimal.valueOf(100));
                Map<String, String> f = new LinkedHashMap<>();
                f.put("section", s.code());
                f.put("person", person);
                f.put("item", GradeEntry.Item.FINAL.name());
                f.put("score", percent.toPlainString());
                f.put("max", "100.00");
                f.put("letter", LetterScale.of(percent).letter());
                out.add(Desired.of(s.code() + "/" + person + "/" + GradeEntry.Item.FINAL.name(), f));
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
