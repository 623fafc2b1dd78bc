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
 * carries its letter on the Kazakhstan scale. With the tool, each item that feeds a tool component (RK1 → RK1,
 * MIDTERM → MT, RK2 → RK2 by default) also sends its scores there, read from where the item's direction says the
 * grade lives: the portal for {@code portal-to-lms}, the LMS for {@code lms-to-portal}.
 */
public final class GradesJob implements SyncJob {
    public static final String NAME = "grades";
    /** Every night at 04:00. */
    public static final String DEFAULT_CRON = "0 0 4 * * ?";

    /** The tool's side of the job: where scores go and which tool component each item feeds. */
    public record ToTool(ToolScoresTarget target, Map<GradeEntry.Item, String> components) {
        public ToTool {
            Objects.requireNonNull(target, "target");
            components = Map.copyOf(components);
        }
    }

    /** One grade read from an LMS: {@code score} points out of {@code max}, as the LMS holds them. */
    record LmsGrade(String section, String person, GradeEntry.Item item, BigDecimal score, BigDecimal max) {
        String key() {
            return section + "/" + person + "/" + item.name();
        }
    }

    private final PortalReader portal;
    private final Map<GradeEntry.Item, GradeDirection> directions;
    private final Optional<MoodleClient> moodle;
    private final Optional<MoodleGradesTarget> toMoodle;
    private final Optional<PortalJournalTarget> toPortal;
    private final Optional<OpenEdxClient> openEdx;
    private final Optional<ToTool> toTool;

    public GradesJob(PortalReader portal, Map<GradeEntry.Item, GradeDirection> directions, Optional<MoodleClient> moodle,
                     Optional<MoodleGradesTarget> toMoodle, Optional<PortalJournalTarget> toPortal, Optional<OpenEdxClient> openEdx,
                     Optional<ToTool> toTool) {
        this.portal = Objects.requireNonNull(portal, "portal");
        this.directions = Map.copyOf(directions);
        this.moodle = moodle;
        this.toMoodle = toMoodle;
        this.toPortal = toPortal;
        this.openEdx = openEdx;
        this.toTool = toTool;
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
        Sources sources = new Sources(context);
        if (toMoodle.isPresent() && directions.containsValue(GradeDirection.PORTAL_TO_LMS)) {
            steps.add(new SyncStep(toMoodle.get(), sources.portal().stream()
                    .filter(g -> direction(g.item()) == GradeDirection.PORTAL_TO_LMS).map(GradesJob::moodleGrade).toList()));
        }
        if (toPortal.isPresent() && directions.containsValue(GradeDirection.LMS_TO_PORTAL)) {
            steps.add(new SyncStep(toPortal.get(), unique(sources.lms().stream().map(GradesJob::journalRow).toList())));
        }
        if (toTool.isPresent() && !toTool.get().components().isEmpty()) {
            Map<GradeEntry.Item, String> components = toTool.get().components();
            boolean fromPortal = components.keySet().stream().anyMatch(i -> direction(i) == GradeDirection.PORTAL_TO_LMS);
            boolean fromLms = components.keySet().stream().anyMatch(i -> direction(i) == GradeDirection.LMS_TO_PORTAL);
            steps.add(new SyncStep(toTool.get().target(), toolScores(components, directions,
                    fromPortal ? sources.portal() : List.of(), fromLms ? sources.lms() : List.of())));
        }
        return new JobInput(steps, sources.reads);
    }

    /**
     * The scores the tool should hold: for each item that feeds a component, the portal's grades when the item goes
     * portal → LMS, the LMS's when it goes LMS → portal; one record per section, person and component.
     */
    static List<Desired> toolScores(Map<GradeEntry.Item, String> components, Map<GradeEntry.Item, GradeDirection> directions,
                                    List<GradeEntry> portalGrades, List<LmsGrade> lmsGrades) {
        List<Desired> out = new ArrayList<>();
        for (GradeEntry g : portalGrades) {
            String component = components.get(g.item());
            if (component != null && directions.get(g.item()) == GradeDirection.PORTAL_TO_LMS) {
                out.add(score(g.sectionCode(), g.personId(), component, g.score(), g.max()));
            }
        }
        for (LmsGrade g : lmsGrades) {
            String component = components.get(g.item());
            if (component != null && directions.get(g.item()) == GradeDirection.LMS_TO_PORTAL) {
                out.add(score(g.section(), g.person(), component, g.score(), g.max()));
            }
        }
        return unique(out);
    }

    private static Desired score(String section, String person, String component, BigDecimal points, BigDecimal max) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("section", section);
        f.put("person", person);
        f.put("component", component);
        f.put("points", plain(points));
        f.put("max", plain(max));
        return Desired.of(section + "/" + person + "/" + component, f);
    }

    /** A decimal without trailing zeros or an exponent (85.0 → 85, 87.50 → 87.5, 100 → 100), so equal values hash alike. */
    static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    /** The first record of each key (a section graded both in Moodle and Open edX keeps Moodle's grade). */
    private static List<Desired> unique(List<Desired> desired) {
        Map<String, Desired> byKey = new LinkedHashMap<>();
        desired.forEach(d -> byKey.putIfAbsent(d.key(), d));
        return List.copyOf(byKey.values());
    }

    static Desired moodleGrade(GradeEntry g) {
        BigDecimal percent = g.percent().setScale(2, RoundingMode.HALF_UP);
        return Desired.of(g.key(), Map.of("section", g.sectionCode(), "person", g.personId(), "item", g.item().name(),
                "percent", percent.toPlainString(), "letter", LetterScale.of(g.score(), g.max()).letter()));
    }

    private static Desired journalRow(LmsGrade g) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("section", g.section());
        f.put("person", g.person());
        f.put("item", g.item().name());
        BigDecimal score = g.score().setScale(2, RoundingMode.HALF_UP);
        f.put("score", score.toPlainString());
        f.put("max", g.max().setScale(2, RoundingMode.HALF_UP).toPlainString());
        f.put("letter", LetterScale.of(score.max(BigDecimal.ZERO).min(g.max()), g.max()).letter());
        return Desired.of(g.key(), f);
    }

    /** The job's sources, each read at most once per run and only when a step needs it. */
    private final class Sources {
        private final JobContext context;
        private final List<SourceRead> reads = new ArrayList<>();
        private List<GradeEntry> portal;
        private List<LmsGrade> lms;

        Sources(JobContext context) {
            this.context = context;
        }

        List<GradeEntry> portal() {
            if (portal == null) {
                SourceBatch<GradeEntry> grades = GradesJob.this.portal.grades();
                reads.add(SourceRead.of("grades", grades));
                portal = grades.records();
            }
            return portal;
        }

        /** The grades of the items that flow LMS → portal: the Moodle gradebook, then Open edX course grades as FINAL. */
        List<LmsGrade> lms() {
            if (lms == null) {
                lms = new ArrayList<>();
                moodle.ifPresent(m -> lms.addAll(fromMoodle(context, m)));
                if (openEdx.isPresent() && direction(GradeEntry.Item.FINAL) == GradeDirection.LMS_TO_PORTAL) {
                    lms.addAll(fromOpenEdx(openEdx.get(), reads));
                }
            }
            return lms;
        }
    }

    /**
     * Reads the gradebook ({@code gradereport_user_get_grade_items}) of every course the sync made and keeps the items
     * that flow to the portal. A grade item belongs to an assessment by its ID number, with the names universities
     * use ({@code RK1}, {@code MT}, {@code MIDTERM}, {@code РК1}, …); ungraded items and the course total are skipped.
     */
    private List<LmsGrade> fromMoodle(JobContext context, MoodleClient client) {
        Map<String, String> courses = context.ledger().remoteIds(MoodleCoursesTarget.NAME);
        List<LmsGrade> out = new ArrayList<>();
        for (var course : new java.util.TreeMap<>(courses).entrySet()) {
            for (MoodleModel.GradeItem gi : client.gradeItems(Long.parseLong(course.getValue()), 0)) {
                GradeEntry.Item item = GradeEntry.Item.parse(gi.idnumber());
                if (item == null || direction(item) != GradeDirection.LMS_TO_PORTAL || gi.graderaw() == null || gi.useridnumber().isBlank()
                        || gi.grademax() <= 0) {
                    continue;
                }
                out.add(new LmsGrade(course.getKey(), gi.useridnumber(), item, BigDecimal.valueOf(gi.graderaw()),
                        BigDecimal.valueOf(gi.grademax())));
            }
        }
        return out;
    }

    /**
     * Open edX course grades as the FINAL item of the sections that run there: the course percent on a 0–100 scale,
     * matched to portal persons by username = portal login (Open edX keys grades on username). Open edX's grades API
     * gives only the course grade, so no other item can come from it.
     */
    private List<LmsGrade> fromOpenEdx(OpenEdxClient edx, List<SourceRead> reads) {
        SourceBatch<Section> sections = portal.sections();
        SourceBatch<Person> persons = portal.persons();
        reads.add(SourceRead.of("sections", sections));
        reads.add(SourceRead.of("persons", persons));
        Map<String, String> personByLogin = new java.util.HashMap<>();
        persons.records().forEach(p -> personByLogin.put(p.login(), p.id()));
        List<LmsGrade> out = new ArrayList<>();
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
                out.add(new LmsGrade(s.code(), person, GradeEntry.Item.FINAL, percent, BigDecimal.valueOf(100)));
            }
        }
        return out;
    }
}
